import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guideSentences, uncoveredGuideSentences } from '../../src/faq/guideCoverage';
import { checkKnowledgeBase } from '../../src/faq/kbCheck';
import { KNOWLEDGE_FILES, normalizeQuestion, validateKnowledge } from '../../src/faq/knowledge';
import { evalFiles, loadEvalSet } from './evaluate';
import { KNOWLEDGE_DIR, rawKnowledge, realKnowledge } from './helpers';

const ROOT = path.resolve(__dirname, '../..');
const GUIDE = path.resolve(ROOT, '..', 'shared', 'guide', 'partner-onboarding-guide.txt');

type Json = Record<string, unknown>;
const sections = (raw: ReturnType<typeof rawKnowledge>) => raw.sections as Json[];

describe('the knowledge base as shipped', () => {
  it('validates', () => {
    const { knowledge, issues } = validateKnowledge(rawKnowledge());
    expect(issues).toEqual([]);
    expect(knowledge?.entries.length).toBeGreaterThanOrEqual(20);
  });

  it('has an entry for every guide step, 2.2 withdraw and re-enter, and each FAQ', () => {
    const ids = realKnowledge().entries.map((e) => e.id);
    for (const id of [
      'guide-notes',
      'guide-2.1-step1',
      'guide-2.1-step2',
      'guide-2.1-step3',
      'guide-2.1-step4',
      'guide-2.2-step1',
      'guide-2.2-step2',
      'guide-2.2-review',
      'guide-2.2-withdraw',
      'guide-2.2-reenter',
      'guide-2.5-acpn',
      'faq-q1',
      'faq-q2',
      'faq-q3',
      'faq-q4',
      'faq-q5',
    ]) {
      expect(ids).toContain(id);
    }
    expect(ids.filter((id) => id.startsWith('guide-2.3')).length).toBeGreaterThan(0);
    expect(ids.filter((id) => id.startsWith('guide-2.4')).length).toBeGreaterThan(0);
  });

  it('passes kb:check, including every entry being found by its own title', () => {
    const result = checkKnowledgeBase(KNOWLEDGE_DIR, fs.existsSync(GUIDE) ? GUIDE : undefined);
    expect(result.errors).toEqual([]);
  });

  (fs.existsSync(GUIDE) ? it : it.skip)('carries every sentence of the source guide', () => {
    const guide = fs.readFileSync(GUIDE, 'utf8');
    expect(guideSentences(guide).length).toBeGreaterThan(40);
    expect(uncoveredGuideSentences(guide, realKnowledge().entries)).toEqual([]);
  });

  it('never contains an evaluation question among its alternate questions', () => {
    const known = new Set(
      realKnowledge().entries.flatMap((e) =>
        [...e.questions.en, ...e.questions.zh, e.title].map(normalizeQuestion),
      ),
    );
    // Every evaluation file: the project's set, both blind tuning sets and (once added) the held-out set.
    const files = evalFiles();
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['eval-set', 'tuning-blind', 'tuning-blind-2']),
    );
    for (const file of files) {
      const copied = loadEvalSet(file.path).filter((item) => known.has(normalizeQuestion(item.question)));
      expect({ file: file.name, copied: copied.map((c) => c.question) }).toEqual({
        file: file.name,
        copied: [],
      });
    }
  });
});

describe('a broken knowledge base is refused, naming the entry', () => {
  const issuesOf = (mutate: (raw: ReturnType<typeof rawKnowledge>) => void) => {
    const raw = rawKnowledge();
    mutate(raw);
    const { knowledge, issues } = validateKnowledge(raw);
    expect(knowledge).toBeUndefined();
    return issues.join('\n');
  };
  it('an intent cue naming an entry that does not exist, or a pattern that does not compile', () => {
    expect(
      issuesOf((raw) => ((raw.lexicon as { cues: { entries: string[] }[] }).cues[0].entries = ['guide-9.9'])),
    ).toMatch(/lexicon.json.cues\[0\] \(correction\): "guide-9.9" is not an entry id/);
    expect(
      issuesOf((raw) => ((raw.scope as { injection: { en: string[] } }).injection.en = ['(unclosed'])),
    ).toMatch(/scope.json.injection.en\[0\]: is not a valid regular expression/);
  });

  it('a gate or cue pattern in capitals: it would never match the lower-cased question', () => {
    expect(
      issuesOf((raw) => ((raw.scope as { outOfScope: { en: string[] }[] }).outOfScope[0].en = ['\\bAWS\\b'])),
    ).toMatch(/scope.json.outOfScope\[0\].en\[0\]: must be lower case/);
    // Escapes are not letters the pattern matches.
    expect(
      issuesOf((raw) => {
        (raw.scope as { outOfScope: { zh: string[] }[] }).outOfScope[0].zh = ['\\p{Script=Han}\\S'];
        (raw.lexicon as { cues: { en: string[] }[] }).cues[0].en = ['Wrong'];
      }),
    ).not.toMatch(/scope.json/);
  });

  it('an entry without its Chinese text', () => {
    expect(issuesOf((raw) => delete sections(raw)[0].zh)).toMatch(/entry guide-notes .*\.zh/);
  });

  it('duplicate ids', () => {
    expect(issuesOf((raw) => sections(raw).push({ ...sections(raw)[2] }))).toMatch(
      /entry guide-2.1-step1: duplicate id/,
    );
  });

  it('a next or related id that does not exist', () => {
    expect(issuesOf((raw) => (sections(raw)[3].next = 'guide-9.9-nowhere'))).toMatch(
      /entry guide-2.1-step2.next: "guide-9.9-nowhere" is not an entry id/,
    );
    expect(issuesOf((raw) => (sections(raw)[3].related = ['faq-q42']))).toMatch(
      /entry guide-2.1-step2.related: "faq-q42"/,
    );
  });

  it('a missing or empty required field', () => {
    expect(issuesOf((raw) => delete sections(raw)[4].title)).toMatch(
      /entry guide-2.1-step3 \(sections.json\[4\]\)\.title/,
    );
    expect(issuesOf((raw) => (sections(raw)[4].text = '   '))).toMatch(
      /entry guide-2.1-step3 .*\.text: must not be empty/,
    );
  });

  it('no Simplified Chinese alternate question', () => {
    expect(issuesOf((raw) => ((sections(raw)[5].questions as Json).zh = []))).toMatch(
      /entry guide-2.1-step4 .*\.questions\.zh: needs at least 1 Simplified Chinese/,
    );
  });

  it('an unknown application status', () => {
    expect(issuesOf((raw) => (sections(raw)[5].statuses = ['waiting']))).toMatch(
      /entry guide-2.1-step4 .*\.statuses\[0\]/,
    );
  });

  it('an id of the wrong form, or a faq entry among the sections', () => {
    expect(issuesOf((raw) => (sections(raw)[0].id = 'Notes'))).toMatch(
      /sections.json\[0\].*\.id: expected an id like/,
    );
    expect(issuesOf((raw) => (sections(raw)[0].kind = 'faq'))).toMatch(/entry guide-notes .*\.kind/);
  });

  it('a field nobody reads (probably a typo)', () => {
    expect(issuesOf((raw) => (sections(raw)[1].titel = 'x'))).toMatch(/entry guide-overview/);
  });

  it('one term in two synonym groups', () => {
    expect(
      issuesOf((raw) => {
        const lexicon = raw.lexicon as { synonyms: string[][] };
        lexicon.synonyms.push(['KYC', 'know your customer']);
      }),
    ).toMatch(/lexicon.json.synonyms\[\d+\]: "KYC" is also in synonyms\[\d+\]/);
  });

  it('a status without its sentence, and a template without its placeholder', () => {
    expect(issuesOf((raw) => delete ((raw.answering as Json).statusSentences as Json).submitted)).toMatch(
      /answering.json.statusSentences.submitted/,
    );
    expect(issuesOf((raw) => ((raw.answering as Json).dueSentence = 'soon'))).toMatch(
      /dueSentence: must contain \{due\}/,
    );
  });

  it('a file that is not a list of entries', () => {
    expect(issuesOf((raw) => (raw.faq = { id: 'faq-q1' }))).toMatch(/faq.json: expected an array of entries/);
  });

  it('guide sentences no entry carries', () => {
    const entries = realKnowledge().entries.filter((e) => e.id !== 'guide-2.2-withdraw');
    const guide = 'Step1 X\nIf partner need modify information, please click "Withdraw application".';
    expect(uncoveredGuideSentences(guide, entries)).toEqual([
      'Step1 X',
      'If partner need modify information, please click "Withdraw application".',
    ]);
  });

  it('kb:check exits non-zero with the entry named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
    try {
      const raw = rawKnowledge();
      sections(raw)[2].next = 'guide-nowhere';
      for (const [key, file] of Object.entries(KNOWLEDGE_FILES)) {
        fs.writeFileSync(path.join(dir, file), JSON.stringify(raw[key as keyof typeof raw]));
      }
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/faq/kbCheck.ts', '--dir', dir], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('entry guide-2.1-step1.next: "guide-nowhere" is not an entry id');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
