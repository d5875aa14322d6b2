/**
 * Downloads WebLLM's compiled model libraries (WebAssembly) for the answer models Folio offers
 * into public/webllm/ and lists them in public/webllm/libs.json, so the app loads that code from
 * its own origin (its Content-Security-Policy allows nothing else). Run before `npm run build`
 * when deploying: `npm run webllm:libs` (needs access to raw.githubusercontent.com).
 */
import fs from 'node:fs';
import path from 'node:path';
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { PREFERRED_WEBLLM_MODELS } from '../src/core';

const out = path.resolve(process.argv[2] ?? 'public/webllm');
fs.mkdirSync(out, { recursive: true });
const wanted = prebuiltAppConfig.model_list.filter(
  (m) => PREFERRED_WEBLLM_MODELS.some((p) => m.model_id.startsWith(p)) && /q4f(16|32)_1-MLC$/.test(m.model_id),
);
const libs = new Set<string>();
for (const m of wanted) {
  const file = m.model_lib.slice(m.model_lib.lastIndexOf('/') + 1);
  const target = path.join(out, file);
  if (!fs.existsSync(target)) {
    const res = await fetch(m.model_lib);
    if (!res.ok) throw new Error(`${m.model_lib}: HTTP ${res.status}`);
    fs.writeFileSync(target, Buffer.from(await res.arrayBuffer()));
    console.log(`${file}  ${(fs.statSync(target).size / 1e6).toFixed(1)} MB`);
  }
  libs.add(file);
}
fs.writeFileSync(path.join(out, 'libs.json'), JSON.stringify({ libs: [...libs].sort() }, null, 1));
console.log(`${libs.size} libraries for ${wanted.length} models in ${out}`);
