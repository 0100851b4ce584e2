import { buildOfflineFaq } from '../../src/faq/buildAnswerer';
import {
  findKnowledgeDir,
  loadKnowledge,
  readKnowledgeFiles,
  type Knowledge,
  type KnowledgeEntry,
  type RawKnowledge,
} from '../../src/faq/knowledge';

export const KNOWLEDGE_DIR = findKnowledgeDir(__dirname);

/** A fresh copy of the files as on disk, for tests that break them. */
export function rawKnowledge(): RawKnowledge {
  return structuredClone(readKnowledgeFiles(KNOWLEDGE_DIR));
}

export function realKnowledge(): Knowledge {
  return loadKnowledge(KNOWLEDGE_DIR);
}

export function realFaq() {
  return buildOfflineFaq(realKnowledge());
}

/** A minimal valid entry to build synthetic knowledge bases from. */
export function entry(id: string, overrides: Partial<KnowledgeEntry> = {}): KnowledgeEntry {
  return {
    id,
    kind: id.startsWith('faq-') ? 'faq' : 'guide',
    section: '9',
    title: `Title of ${id}`,
    headings: [],
    text: `Text of ${id}.`,
    zh: { title: `${id} 的标题`, text: `${id} 的内容。` },
    questions: { en: [`What is ${id}?`, `Tell me about ${id}`], zh: [`${id}是什么?`] },
    synonyms: { en: [id], zh: ['测试'] },
    links: [],
    next: null,
    related: [],
    statuses: [],
    ...overrides,
  };
}
