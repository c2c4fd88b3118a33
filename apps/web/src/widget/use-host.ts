import { useSyncExternalStore } from 'react';
import { getHostBridge } from './host-bridge';
import type { HostBridge, HostSnapshot } from './host-types';

const serverSnapshot: HostSnapshot = { host: 'none', theme: 'light', displayMode: 'inline', maxHeight: null, toolOutput: null, toolResponseMetadata: null, widgetState: null };

/** The host's current globals, re-rendering on every host update. */
export function useHost(): { snapshot: HostSnapshot; bridge: HostBridge | null } {
  const snapshot = useSyncExternalStore(
    (listener) => getHostBridge().subscribe(listener),
    () => getHostBridge().snapshot(),
    () => serverSnapshot,
  );
  return { snapshot, bridge: typeof window === 'undefined' ? null : getHostBridge() };
}
