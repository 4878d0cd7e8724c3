// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { describeSelection, selectionBounds } from './selection';
import { FakeFigma } from './testing/fake-figma';

describe('describeSelection', () => {
  it('counts the layers that take an image fill and gives the first layer’s size', () => {
    const figma = new FakeFigma();
    const fillable = ['FRAME', 'COMPONENT', 'RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'BOOLEAN_OPERATION'] as const;
    const types = ['INSTANCE', ...fillable, 'TEXT', 'GROUP', 'SECTION', 'SLICE'] as const;
    const nodes = types.map((type, index) => figma.addNode({ type, width: 10 + index, height: 20 + index }));

    expect(describeSelection(nodes)).toEqual({ count: 13, fillable: 9, width: 10, height: 20 });
  });

  it('describes an empty selection with no size', () => {
    expect(describeSelection([])).toEqual({ count: 0, fillable: 0, width: null, height: null });
  });
});

describe('selectionBounds', () => {
  it('is the box around every selected layer on the page', () => {
    const figma = new FakeFigma();
    const frame = figma.addNode({ type: 'FRAME', x: -50, y: 10, width: 100, height: 100 });
    const inner = figma.addNode({ type: 'RECTANGLE', x: 90, y: 95, width: 30, height: 30 }, frame);
    const far = figma.addNode({ type: 'TEXT', x: 300, y: -20, width: 10, height: 10 });

    expect(selectionBounds([frame, inner, far])).toEqual({ left: -50, top: -20, right: 310, bottom: 135 });
  });

  it('is null when nothing is selected', () => {
    expect(selectionBounds([])).toBeNull();
  });
});
