// Registers the oneDNN-backed "native" backend when the addon is built.
// Until the addon exists this reports why it is unavailable (see issue: native backend).
export function registerNativeBackend(): string | undefined {
  return 'the native addon is not built yet (install libdnnl-dev, then npm rebuild)';
}
