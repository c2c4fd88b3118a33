import { z } from 'zod';
import { PanelElement } from './catalog';

/** Current version of the spec format (not the stored version number). */
export const uiSpecFormatVersion = 1;

export const ElementId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');

/** How an element sits in the 12-column grid. */
export const Placement = z.object({
  span: z.number().int().min(1).max(12),
  rows: z.number().int().min(1).max(4).default(1),
}).strict();
export type Placement = z.infer<typeof Placement>;

export const SpecLayout = z.object({
  columns: z.literal(12),
  placements: z.record(ElementId, Placement),
}).strict();

/**
 * A flat layout spec: elements by id, a root section that lists children by
 * id, and placements. Flat so that RFC 6902 patches address one element by
 * `/elements/<id>` without walking a tree.
 */
export const UiSpec = z
  .object({
    version: z.literal(uiSpecFormatVersion),
    title: z.string().max(120),
    root: ElementId,
    elements: z.record(ElementId, PanelElement),
    layout: SpecLayout,
  })
  .strict()
  .superRefine((spec, context) => {
    for (const problem of findStructureProblems(spec)) context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });
export type UiSpec = z.infer<typeof UiSpec>;
/** What a spec looks like before parsing fills defaults. */
export type UiSpecInput = z.input<typeof UiSpec>;

interface StructureProblem {
  path: (string | number)[];
  message: string;
}

type ParsedShape = Pick<UiSpec, 'root' | 'elements' | 'layout'>;

/** Root is a section; every child exists once; every element is reachable; placements name elements. */
function findStructureProblems(spec: ParsedShape): StructureProblem[] {
  const problems: StructureProblem[] = [];
  const root = spec.elements[spec.root];
  if (!root) return [{ path: ['root'], message: `root "${spec.root}" is not an element` }];
  if (root.type !== 'section') problems.push({ path: ['elements', spec.root, 'type'], message: 'the root must be a section' });
  const seen = new Set<string>([spec.root]);
  const queue = [spec.root];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const element = spec.elements[id];
    if (element?.type !== 'section') continue;
    element.children.forEach((child, index) => {
      if (!spec.elements[child]) problems.push({ path: ['elements', id, 'children', index], message: `child "${child}" is not an element` });
      else if (seen.has(child)) problems.push({ path: ['elements', id, 'children', index], message: `"${child}" appears more than once` });
      else {
        seen.add(child);
        queue.push(child);
      }
    });
  }
  for (const id of Object.keys(spec.elements)) {
    if (!seen.has(id)) problems.push({ path: ['elements', id], message: `"${id}" is not reachable from the root` });
  }
  for (const id of Object.keys(spec.layout.placements)) {
    if (!spec.elements[id]) problems.push({ path: ['layout', 'placements', id], message: `placement for missing element "${id}"` });
  }
  return problems;
}

/** Elements in reading order (depth first from the root), without sections. */
export function listPanelsInOrder(spec: UiSpec): { id: string; element: PanelElement }[] {
  const result: { id: string; element: PanelElement }[] = [];
  const visit = (id: string) => {
    const element = spec.elements[id];
    if (!element) return;
    if (element.type === 'section') element.children.forEach(visit);
    else result.push({ id, element });
  };
  visit(spec.root);
  return result;
}
