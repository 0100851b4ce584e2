import fs from 'node:fs';
import path from 'node:path';
import { buildOfflineFaq } from './buildAnswerer';
import { uncoveredGuideSentences } from './guideCoverage';
import { findKnowledgeDir, readKnowledgeFiles, validateKnowledge, type Knowledge } from './knowledge';

/**
 * `npm run kb:check [-- --dir knowledge --guide path/to/guide.txt]`: validates knowledge/ and
 * exits non-zero naming each broken entry. Beyond the schema it checks that every sentence
 * of the source guide is carried by some entry, and that every entry can be found by its
 * own title (an entry retrieval never returns is a silent hole in the answers).
 */

export interface CheckResult {
  errors: string[];
  warnings: string[];
  summary?: string;
}

export function checkKnowledgeBase(dir: string, guidePath?: string): CheckResult {
  const { knowledge, issues } = validateKnowledge(readKnowledgeFiles(dir));
  if (!knowledge) return { errors: issues, warnings: [] };
  const errors: string[] = [];
  const warnings: string[] = [];

  if (guidePath && fs.existsSync(guidePath)) {
    const missing = uncoveredGuideSentences(fs.readFileSync(guidePath, 'utf8'), knowledge.entries);
    for (const s of missing)
      errors.push(`guide sentence not carried by any entry's text or headings: "${s}"`);
  } else {
    warnings.push(`guide not found${guidePath ? ` at ${guidePath}` : ''}: coverage of the guide not checked`);
  }
  errors.push(...checkRetrievable(knowledge));

  const guide = knowledge.entries.filter((e) => e.kind === 'guide').length;
  const summary =
    `${knowledge.entries.length} entries (${guide} guide sections, ${knowledge.entries.length - guide} FAQs), ` +
    `${knowledge.lexicon.synonyms.length} synonym groups, ${knowledge.lexicon.dictionary.length} dictionary words`;
  return { errors, warnings, summary };
}

/** Each entry must come first for its own title and for its first alternate question. */
function checkRetrievable(knowledge: Knowledge): string[] {
  const { answerer } = buildOfflineFaq(knowledge);
  const errors: string[] = [];
  for (const e of knowledge.entries) {
    for (const probe of [e.title, e.questions.en[0]]) {
      const top = answerer.retrieve(probe).hits[0]?.entry.id;
      if (top !== e.id)
        errors.push(`entry ${e.id}: "${probe}" retrieves ${top ?? 'nothing'} first, not this entry`);
    }
  }
  return errors;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(): void {
  const args = process.argv.slice(2);
  const dir = path.resolve(argValue(args, '--dir') ?? findKnowledgeDir());
  const guide =
    argValue(args, '--guide') ??
    process.env.FAQ_GUIDE_PATH ??
    path.resolve(dir, '..', '..', 'shared', 'guide', 'partner-onboarding-guide.txt');
  let result: CheckResult;
  try {
    result = checkKnowledgeBase(dir, path.resolve(guide));
  } catch (err) {
    result = { errors: [(err as Error).message], warnings: [] };
  }
  for (const w of result.warnings) console.warn(`warning: ${w}`);
  if (result.errors.length > 0) {
    console.error(`knowledge check failed (${path.relative(process.cwd(), dir) || dir}):`);
    for (const e of result.errors) console.error(`  - ${e}`);
    process.exit(1);
  }
  console.log(`knowledge OK: ${result.summary}`);
}

if (require.main === module) main();
