/** URLs of llama.cpp's worker, thread script and wasm as this build serves them (scripts/vite-wllama.ts). */
declare module 'virtual:folio-wllama' {
  export const wllamaAssets: { mainScript: string; threadScript: string; wasm: string };
}
