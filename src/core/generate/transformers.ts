import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  StoppingCriteriaList,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { configureTransformers, detectDevice } from '../embed/transformers';
import type { ChatMessage, GenerateOptions, GenerateResult, Generator } from './generator';

export interface TransformersGeneratorOptions {
  /** Hub model id, e.g. 'onnx-community/Qwen2.5-0.5B-Instruct' (default) or 'karpathy/stories260K'. */
  model?: string;
  device?: 'auto' | 'webgpu' | 'wasm' | 'cpu';
  dtype?: 'fp32' | 'fp16' | 'q8' | 'q4' | 'q4f16';
  localModelPath?: string;
  remoteHost?: string;
  onDownload?: (p: { file: string; loaded: number; total: number }) => void;
}

export const DEFAULT_TRANSFORMERS_GENERATOR = 'onnx-community/Qwen2.5-0.5B-Instruct';

/** Models without a chat template (e.g. base models) get this plain transcript. */
function plainTranscript(messages: ChatMessage[]): string {
  return `${messages.map((m) => `${m.role === 'user' ? 'User' : m.role === 'assistant' ? 'Assistant' : 'System'}: ${m.content}`).join('\n\n')}\n\nAssistant:`;
}

/**
 * Text generation with transformers.js (WebGPU or WASM in the browser, native in Node), for
 * browsers without WebGPU for WebLLM. Streams through a TextStreamer; `interrupt()` stops at the
 * next token via an InterruptableStoppingCriteria.
 */
export async function createTransformersGenerator(opts: TransformersGeneratorOptions = {}): Promise<Generator> {
  const id = opts.model ?? DEFAULT_TRANSFORMERS_GENERATOR;
  const device = !opts.device || opts.device === 'auto' ? await detectDevice() : opts.device;
  configureTransformers(opts, device);
  const files = new Map<string, { loaded: number; total: number }>();
  const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
    if (info.status !== 'progress' || !info.file || !opts.onDownload) return;
    files.set(info.file, { loaded: info.loaded ?? 0, total: info.total ?? 0 });
    const sum = [...files.values()].reduce((a, f) => ({ loaded: a.loaded + f.loaded, total: a.total + f.total }), { loaded: 0, total: 0 });
    opts.onDownload({ file: info.file, ...sum });
  };
  const tokenizer = await AutoTokenizer.from_pretrained(id, { progress_callback });
  const model = await AutoModelForCausalLM.from_pretrained(id, { device, dtype: opts.dtype ?? (device === 'webgpu' ? 'q4f16' : 'q8'), progress_callback });
  const config = model.config as unknown as { max_position_embeddings?: number; max_length?: number };
  return new TransformersGenerator(id, config.max_position_embeddings ?? 2048, tokenizer, model);
}

class TransformersGenerator implements Generator {
  private stopper = new InterruptableStoppingCriteria();

  constructor(
    readonly id: string,
    readonly contextWindow: number,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {}

  async countTokens(text: string): Promise<number> {
    return this.tokenizer.encode(text, { add_special_tokens: false }).length;
  }

  private encode(messages: ChatMessage[]): { input_ids: Tensor; attention_mask: Tensor } {
    const hasTemplate = !!(this.tokenizer as unknown as { chat_template?: unknown }).chat_template;
    if (hasTemplate) {
      return this.tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true }) as unknown as { input_ids: Tensor; attention_mask: Tensor };
    }
    return this.tokenizer(plainTranscript(messages)) as { input_ids: Tensor; attention_mask: Tensor };
  }

  async generate(messages: ChatMessage[], opts: GenerateOptions = {}): Promise<GenerateResult> {
    this.stopper.reset();
    const onAbort = () => this.stopper.interrupt();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) this.stopper.interrupt();
    const inputs = this.encode(messages);
    const promptLength = inputs.input_ids.dims.at(-1)!;
    const maxNewTokens = Math.max(1, Math.min(opts.maxNewTokens ?? 512, this.contextWindow - promptLength));
    let text = '';
    const streamer = new TextStreamer(this.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => {
        text += piece;
        opts.onToken?.(piece);
      },
    });
    const stopping = new StoppingCriteriaList();
    stopping.push(this.stopper);
    try {
      const output = (await this.model.generate({
        ...inputs,
        max_new_tokens: maxNewTokens,
        do_sample: (opts.temperature ?? 0) > 0,
        ...(opts.temperature ? { temperature: opts.temperature } : {}),
        streamer,
        stopping_criteria: stopping,
      })) as Tensor;
      const generated = output.dims.at(-1)! - promptLength;
      const aborted = this.stopper.interrupted || !!opts.signal?.aborted;
      return { text, finishReason: aborted ? 'aborted' : generated >= maxNewTokens ? 'length' : 'stop' };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  interrupt(): void {
    this.stopper.interrupt();
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
