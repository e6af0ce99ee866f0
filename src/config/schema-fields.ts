import type { z } from 'zod';

/** The slice of zod 4's schema definition this walk relies on. */
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Field names an object schema accepts at `path` (through optionals, records, arrays, unions). */
export function fieldsAllowedAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType[] = [schema];
  for (const key of path) current = current.flatMap((s) => childrenOf(s, key));
  return [...new Set(current.flatMap(objectKeys))];
}

function defOf(schema: z.ZodType): Def {
  let def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  for (;;) {
    const inner = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (!inner) return def;
    def = (inner as unknown as { _zod: { def: Def } })._zod.def;
  }
}

function childrenOf(schema: z.ZodType, key: PropertyKey): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === 'object') return def.shape?.[String(key)] ? [def.shape[String(key)] as z.ZodType] : [];
  if (def.type === 'record') return def.valueType ? [def.valueType] : [];
  if (def.type === 'array') return def.element ? [def.element] : [];
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => childrenOf(option, key));
  return [];
}

function objectKeys(schema: z.ZodType): string[] {
  const def = defOf(schema);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'union') return (def.options ?? []).flatMap(objectKeys);
  return [];
}
