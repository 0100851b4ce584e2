import type { MessageContent } from '@langchain/core/messages';
import {
  ChatOpenAI,
  ChatOpenAICompletions,
  ChatOpenAIResponses,
  type ChatOpenAIFields,
} from '@langchain/openai';
import type { Config } from '../config';

/**
 * The ChatOpenAI that the LLM path uses. Loaded only when OPENAI_API_KEY is set, so the
 * offline answerer and the command line never pay for importing langchain.
 *
 * No tokenizer downloads: langchain counts tokens with js-tiktoken, whose encodings are
 * fetched from tiktoken.pages.dev on first use (`getNumTokens`). Only streaming calls count
 * tokens that way (a non-streaming call reads `usage` from the response), so streaming is
 * off and disabled, and the delegates that would count override `getNumTokens` with the
 * character estimate langchain itself falls back to. A test asserts no request leaves
 * loopback.
 */
class LocalTokenCountCompletions extends ChatOpenAICompletions {
  override async getNumTokens(content: MessageContent): Promise<number> {
    return estimateTokens(content);
  }
}

class LocalTokenCountResponses extends ChatOpenAIResponses {
  override async getNumTokens(content: MessageContent): Promise<number> {
    return estimateTokens(content);
  }
}

class LocalTokenCountChatOpenAI extends ChatOpenAI {
  override async getNumTokens(content: MessageContent): Promise<number> {
    return estimateTokens(content);
  }
}

function estimateTokens(content: MessageContent): number {
  const text =
    typeof content === 'string'
      ? content
      : content.map((part) => (part.type === 'text' && 'text' in part ? String(part.text) : '')).join('');
  return Math.ceil(text.length / 4);
}

export type OpenAISettings = Config['openai'];

/** Deterministic and short: temperature 0, the configured timeout, at most one retry. */
export function createChatModel(settings: OpenAISettings & { apiKey: string }): ChatOpenAI {
  const fields: ChatOpenAIFields = {
    model: settings.model,
    apiKey: settings.apiKey,
    temperature: 0,
    maxTokens: 500,
    timeout: settings.timeoutMs,
    maxRetries: 1,
    streaming: false,
    disableStreaming: true,
    configuration: settings.baseUrl ? { baseURL: settings.baseUrl } : undefined,
  };
  return new LocalTokenCountChatOpenAI({
    ...fields,
    completions: new LocalTokenCountCompletions(fields),
    responses: new LocalTokenCountResponses(fields),
  });
}
