// The timeline picture's public surface: render one SVG per test from a run's events and history.
export { renderTimeline, axisEnd } from './render-timeline.ts';
export type { TimelineInput, TimelineVerdict } from './timeline-input.ts';
export { verdictFromCheck } from './verdict.ts';
export { nodeStates, type NodeState, type NodeTimeline, type StateSegment, type SignalMark } from './node-states.ts';
export { faultSpans, type FaultSpan } from './fault-spans.ts';
export { escapeXml } from './escape.ts';
