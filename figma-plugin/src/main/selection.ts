import type { SelectionInfo } from '../messages';
import type { PortNode } from './figma-port';

// Layers an image fill makes sense on: shapes and frame-like containers. Text, groups,
// sections, slices and connectors are left out even where the API would accept fills.
const FILLABLE_TYPES: ReadonlySet<SceneNode['type']> = new Set<SceneNode['type']>([
  'FRAME',
  'COMPONENT',
  'INSTANCE',
  'RECTANGLE',
  'ELLIPSE',
  'POLYGON',
  'STAR',
  'VECTOR',
  'BOOLEAN_OPERATION',
]);

export type FillableNode = PortNode & { fills: ReadonlyArray<Paint> | symbol };

export function isFillable(node: PortNode): node is FillableNode {
  return FILLABLE_TYPES.has(node.type) && node.fills !== undefined;
}

export function fillableNodes(selection: ReadonlyArray<PortNode>): FillableNode[] {
  return selection.filter(isFillable);
}

export function describeSelection(selection: ReadonlyArray<PortNode>): SelectionInfo {
  const first = selection[0];
  return {
    count: selection.length,
    fillable: fillableNodes(selection).length,
    width: first ? first.width : null,
    height: first ? first.height : null,
  };
}

export type Bounds = { left: number; top: number; right: number; bottom: number };

/** The box around the selected layers on the page, or null when none has bounds. */
export function selectionBounds(selection: ReadonlyArray<PortNode>): Bounds | null {
  let bounds: Bounds | null = null;
  for (const node of selection) {
    const box = node.absoluteBoundingBox;
    if (!box) continue;
    const right = box.x + box.width;
    const bottom = box.y + box.height;
    bounds = bounds
      ? {
          left: Math.min(bounds.left, box.x),
          top: Math.min(bounds.top, box.y),
          right: Math.max(bounds.right, right),
          bottom: Math.max(bounds.bottom, bottom),
        }
      : { left: box.x, top: box.y, right, bottom };
  }
  return bounds;
}
