import { z } from 'zod';
import { lowerCasePattern, unionOf } from './patterns';
import type { SearchHit } from './retriever';

const regex = lowerCasePattern;

/**
 * An intent cue (lexicon.json `cues`): words that say what the asker wants to do, whatever
 * stage they name. "The commission in my decision sheet is wrong, how do I fix it" names the
 * decision sheet, but wants the correction (Modify).
 */
export const cueSchema = z
  .object({
    intent: z.string().min(1),
    en: z.array(regex),
    zh: z.array(regex),
    /** The entries this intent is answered by. */
    entries: z.array(z.string()).default([]),
    /** Also favour the entry that follows the best match ("what now?", "下一步"). */
    next: z.boolean().default(false),
  })
  .strict();
export type Cue = z.infer<typeof cueSchema>;

export interface CueOptions {
  /** How many of the best hits may be reordered: a cue chooses among close candidates, it does not retrieve. */
  window: number;
  /** Score factor for a favoured hit, per cue that favours it. */
  boost: number;
  /**
   * How many times a "next step" cue counts: the stage the question names is usually the
   * best match itself, so its successor needs more than one boost to overtake it.
   */
  nextWeight: number;
}

export const DEFAULT_CUE_OPTIONS: CueOptions = { window: 3, boost: 1.5, nextWeight: 2 };

/** Reranks the top hits by the intents the question expresses. */
export class IntentCues {
  private readonly cues: { cue: Cue; re: RegExp }[];

  constructor(
    cues: readonly Cue[],
    private readonly options: CueOptions = DEFAULT_CUE_OPTIONS,
  ) {
    this.cues = cues
      .filter((c) => c.en.length + c.zh.length > 0)
      .map((cue) => ({ cue, re: unionOf([...cue.en, ...cue.zh])! }));
  }

  /** The intents `question` expresses. */
  intents(question: string): Cue[] {
    const q = question.normalize('NFKC').toLowerCase();
    return this.cues.filter((c) => c.re.test(q)).map((c) => c.cue);
  }

  rerank(question: string, hits: SearchHit[]): SearchHit[] {
    if (hits.length < 2 || this.cues.length === 0) return hits;
    const fired = this.intents(question);
    if (fired.length === 0) return hits;
    const window = hits.slice(0, this.options.window);
    const favoured = new Map<string, number>();
    const favour = (id: string | null | undefined) => {
      if (id) favoured.set(id, (favoured.get(id) ?? 0) + 1);
    };
    for (const cue of fired) {
      for (const id of cue.entries) favour(id);
      if (cue.next) for (let i = 0; i < this.options.nextWeight; i++) favour(window[0].entry.next);
    }
    const rescored = window
      .map((h) => ({ ...h, score: h.score * this.options.boost ** (favoured.get(h.entry.id) ?? 0) }))
      .sort((a, b) => b.score - a.score);
    return [...rescored, ...hits.slice(this.options.window)];
  }
}
