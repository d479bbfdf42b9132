// Overlapping bars in one row (background operations, concurrent faults) go on separate tracks.

/** A horizontal extent in pixels. */
export interface Extent {
  x0: number;
  x1: number;
}

/** The track of each extent (same order as given): first fit by start, so overlaps never share a track. */
export function packTracks(extents: readonly Extent[], gapPx = 2): { track: number[]; tracks: number } {
  const order = extents.map((_, i) => i).sort((a, b) => extents[a]!.x0 - extents[b]!.x0 || a - b);
  const ends: number[] = [];
  const track = new Array<number>(extents.length).fill(0);
  for (const i of order) {
    const { x0, x1 } = extents[i]!;
    let t = ends.findIndex((e) => e + gapPx <= x0);
    if (t < 0) t = ends.push(x1) - 1;
    else ends[t] = x1;
    track[i] = t;
  }
  return { track, tracks: Math.max(1, ends.length) };
}
