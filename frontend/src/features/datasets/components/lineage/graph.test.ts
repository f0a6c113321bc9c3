import { describe, expect, it } from 'vitest';
import { MIX, PEOPLE, PEOPLE_VAL, RAW, SMALL, chainLineage } from '../../testingLineage';
import { isTruncated, lineageGraph, splitsOf, stepText, transformText } from './graph';
import { NODE_WIDTH, layoutLeftToRight } from './layout';

describe('lineageGraph', () => {
  it('keeps every node and edge when no split is chosen', () => {
    const { nodes, edges } = lineageGraph(chainLineage);
    expect(nodes.map((n) => n.id)).toEqual([RAW.id, PEOPLE.id, SMALL.id, MIX.id, PEOPLE_VAL.id]);
    expect(nodes.filter((n) => n.current).map((n) => n.id)).toEqual([PEOPLE.id]);
    expect(edges.map((e) => [e.source, e.target])).toEqual([
      [RAW.id, PEOPLE.id],
      [PEOPLE.id, SMALL.id],
      [SMALL.id, MIX.id],
      [PEOPLE.id, PEOPLE_VAL.id],
    ]);
  });

  it('shows only the chosen splits, with the edges between what remains', () => {
    const train = lineageGraph(chainLineage, new Set(['TRAIN']));
    expect(train.nodes.map((n) => n.id)).toEqual([RAW.id, PEOPLE.id, SMALL.id, MIX.id]);
    expect(train.edges).toHaveLength(3);

    // The val version's parent is hidden: its edge goes too, and none is invented around it.
    const val = lineageGraph(chainLineage, new Set(['VAL']));
    expect(val.nodes.map((n) => n.id)).toEqual([PEOPLE_VAL.id]);
    expect(val.edges).toEqual([]);

    expect(lineageGraph(chainLineage, new Set()).nodes).toEqual([]);
  });

  it('labels each edge with its manipulators and their parameters', () => {
    const { edges } = lineageGraph(chainLineage);
    expect(edges.map((e) => e.label)).toEqual([
      'rotate_180 → filter_keep_by_class(classes=person,car)',
      'sample_n_images(n=10)',
      'merged, then shuffle_image_ids(seed=7)',
      'copied as is',
    ]);
  });

  it('cuts a long label and keeps the whole text for its tooltip', () => {
    const steps = Array.from({ length: 6 }, (_, i) => ({
      name: 'filter_keep_by_class',
      params: { classes: [`class_${i}`] },
    }));
    const { edges } = lineageGraph({
      ...chainLineage,
      edges: [
        {
          ...(chainLineage.edges[0] as (typeof chainLineage.edges)[number]),
          transform_config: { sources: [{ manipulators: steps }] } as never,
        },
      ],
    });
    const [edge] = edges;
    expect(edge?.label.length).toBe(64);
    expect(edge?.label.endsWith('…')).toBe(true);
    expect(edge?.title).toContain('filter_keep_by_class(classes=class_5)');
  });

  it('lists the splits present in the usual order', () => {
    expect(splitsOf(chainLineage)).toEqual(['TRAIN', 'VAL']);
  });

  it('says when the API stopped at the depth asked for', () => {
    expect(isTruncated(chainLineage)).toBe(false);
    expect(isTruncated({ ...chainLineage, depth: 2 })).toBe(true);
  });
});

describe('stepText and transformText', () => {
  it('writes a step with its parameters', () => {
    expect(stepText({ name: 'rotate_180' })).toBe('rotate_180');
    expect(stepText({ name: 'remap_class_name', params: { mapping: { a: 'b' } } })).toBe(
      'remap_class_name(mapping={"a":"b"})',
    );
  });

  it('separates the chains of several sources of one parent', () => {
    expect(
      transformText({
        executionId: undefined,
        sources: [
          { sourceIndex: 0, steps: [{ name: 'rotate_180' }] },
          { sourceIndex: 1, steps: [{ name: 'change_compression', params: { quality: 80 } }] },
        ],
        postMerge: [],
      }),
    ).toBe('rotate_180 | change_compression(quality=80)');
  });
});

describe('layoutLeftToRight', () => {
  it('puts every parent left of its children', () => {
    const { nodes, edges } = lineageGraph(chainLineage);
    const positions = layoutLeftToRight(nodes, edges);
    expect(positions.size).toBe(nodes.length);
    for (const edge of edges) {
      const parent = positions.get(edge.source);
      const child = positions.get(edge.target);
      expect(parent && child && parent.x + NODE_WIDTH < child.x).toBe(true);
    }
    // Two children of one parent share a column and do not overlap.
    const small = positions.get(SMALL.id);
    const val = positions.get(PEOPLE_VAL.id);
    expect(small?.x).toBe(val?.x);
    expect(small?.y).not.toBe(val?.y);
  });
});
