import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type * as SchemaEngineModule from '@prisma/schema-engine-wasm';

/**
 * Prisma's schema engine compiled to WebAssembly. The native engine cannot be
 * downloaded on offline machines, and the package's own entry does
 * `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20 cannot
 * load, so the module is instantiated here by hand with the JS glue
 * (`schema_engine_bg.js`) as its import object.
 */
export type SchemaEngine = SchemaEngineModule.SchemaEngine;
type EngineBindings = typeof SchemaEngineModule;

declare global {
  var PRISMA_WASM_PANIC_REGISTRY: { set_message(message: string): void } | undefined;
}

/** The few WebAssembly APIs used here; the project's `lib` has no DOM typings. */
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let bindingsPromise: Promise<EngineBindings> | undefined;

async function loadBindings(): Promise<EngineBindings> {
  // Rust panics report their message through this global before throwing.
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message(message: string) {
      lastPanicMessage = message;
    },
  };
  const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmBytes = await readFile(fileURLToPath(new URL('./schema_engine_bg.wasm', glueUrl)));
  const glue = (await import(glueUrl)) as EngineBindings & { __wbg_set_wasm(exports: Record<string, unknown>): void };
  const { instance } = await webAssembly.instantiate(wasmBytes, { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') (start as () => void)();
  return glue;
}

let lastPanicMessage = '';

/** The last Rust panic message from the engine, for error reports. */
export function readLastPanicMessage(): string {
  return lastPanicMessage;
}

/**
 * Starts an engine on `adapterFactory` (PGlite or adapter-pg), wrapped the
 * way Prisma's CLI wraps it. `schema` is the Prisma schema text.
 */
export async function startSchemaEngine(schema: string, adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<SchemaEngine> {
  bindingsPromise ??= loadBindings();
  const bindings = await bindingsPromise;
  const logs: string[] = [];
  return bindings.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/** Filters with nothing excluded (prisma.config.ts declares no external tables). */
export const noSchemaFilter = { externalTables: [], externalEnums: [] };
