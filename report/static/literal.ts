// Reads literal values out of a spec's syntax tree without running it: strings, object literals,
// and identifiers that name a `const` in scope (with `as const`, `satisfies`, spreads, shorthands).
import { Node, VariableDeclarationKind, type Expression } from 'ts-morph';

/** A literal found, or why not (the node that is not a literal and the reason). */
export type Resolved<T> = { ok: true; value: T } | { ok: false; node: Node; why: string };

/** One property of an object literal, with the node its value was written at. */
export interface LiteralProperty {
  name: string;
  /** The whole property (`etcd: 'TEST'`), where a finding about it points. */
  key: Node;
  value: Node;
}

const MAX_DEPTH = 20;

/** `'x'`, `` `x` `` or a const that holds one. */
export function literalString(node: Node, depth = 0): Resolved<string> {
  const n = unwrap(node);
  if (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) return { ok: true, value: n.getLiteralValue() };
  if (Node.isIdentifier(n) && depth < MAX_DEPTH) {
    const init = constInitializer(n);
    return init.ok ? literalString(init.value, depth + 1) : init;
  }
  return { ok: false, node: n, why: `${describe(n)} is not a string literal` };
}

/** The properties of an object literal (or of the const it names), spreads and shorthands followed. */
export function literalObject(node: Node, depth = 0): Resolved<LiteralProperty[]> {
  const n = unwrap(node);
  if (depth >= MAX_DEPTH) return { ok: false, node: n, why: 'the const chain is too deep' };
  if (Node.isIdentifier(n)) {
    const init = constInitializer(n);
    return init.ok ? literalObject(init.value, depth + 1) : init;
  }
  if (!Node.isObjectLiteralExpression(n)) return { ok: false, node: n, why: `${describe(n)} is not an object literal` };
  const props = new Map<string, LiteralProperty>();
  for (const p of n.getProperties()) {
    if (Node.isPropertyAssignment(p)) {
      const nameNode = p.getNameNode();
      if (Node.isComputedPropertyName(nameNode)) return { ok: false, node: nameNode, why: `the computed key ${nameNode.getText()} is not a literal` };
      const name = Node.isStringLiteral(nameNode) || Node.isNumericLiteral(nameNode) ? String(nameNode.getLiteralValue()) : nameNode.getText();
      props.set(name, { name, key: p, value: p.getInitializerOrThrow() });
    } else if (Node.isShorthandPropertyAssignment(p)) {
      props.set(p.getName(), { name: p.getName(), key: p, value: p.getNameNode() });
    } else if (Node.isSpreadAssignment(p)) {
      const spread = literalObject(p.getExpression(), depth + 1);
      if (!spread.ok) return spread;
      for (const s of spread.value) props.set(s.name, s);
    } else {
      return { ok: false, node: p, why: `${describe(p)} is not a plain property` };
    }
  }
  return { ok: true, value: [...props.values()] };
}

/** An object literal whose values are all string literals (a matrix, a reasons map). */
export function literalStringRecord(node: Node): Resolved<{ name: string; value: string; key: Node }[]> {
  const obj = literalObject(node);
  if (!obj.ok) return obj;
  const out: { name: string; value: string; key: Node }[] = [];
  for (const p of obj.value) {
    const s = literalString(p.value);
    if (!s.ok) return { ok: false, node: s.node, why: `the value of "${p.name}": ${s.why}` };
    out.push({ name: p.name, value: s.value, key: p.key });
  }
  return { ok: true, value: out };
}

/** The initializer of the `const` an identifier refers to, looked up lexically in its own file. */
function constInitializer(id: Node): Resolved<Expression> {
  const name = id.getText();
  for (let scope = id.getParent(); scope; scope = scope.getParent()) {
    if (Node.isFunctionLikeDeclaration(scope) && scope.getParameters().some((p) => p.getName() === name)) {
      return { ok: false, node: id, why: `"${name}" is a function parameter` };
    }
    if (!(Node.isSourceFile(scope) || Node.isBlock(scope) || Node.isModuleBlock(scope))) continue;
    for (const st of scope.getStatements()) {
      if (!Node.isVariableStatement(st)) continue;
      const decl = st.getDeclarations().find((d) => d.getName() === name);
      if (!decl) continue;
      if (st.getDeclarationKind() !== VariableDeclarationKind.Const) return { ok: false, node: id, why: `"${name}" is declared with ${st.getDeclarationKind()}, not const` };
      const init = decl.getInitializer();
      return init ? { ok: true, value: init } : { ok: false, node: id, why: `"${name}" has no initializer` };
    }
  }
  return { ok: false, node: id, why: `"${name}" is not a const declared in this file` };
}

function unwrap(node: Node): Node {
  let n = node;
  while (Node.isAsExpression(n) || Node.isSatisfiesExpression(n) || Node.isParenthesizedExpression(n) || Node.isTypeAssertion(n) || Node.isNonNullExpression(n)) n = n.getExpression();
  return n;
}

function describe(n: Node): string {
  const text = n.getText().replace(/\s+/g, ' ');
  return `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\``;
}
