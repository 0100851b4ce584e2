import { buildOfflineFaq, dictionaryOf } from '../../src/faq/buildAnswerer';
import { ChineseChars } from '../../src/faq/chineseChars';
import { SynonymExpander } from '../../src/faq/synonyms';
import { stemEnglish, Tokenizer } from '../../src/faq/tokenizer';
import { realFaq, realKnowledge } from './helpers';

const small = new Tokenizer({
  stopwords: {
    en: ['how', 'do', 'i', 'my', 'the', 'to', 'up', 'a', 'is', 'what'],
    zh: ['如何', '怎么', '的', '吗'],
  },
  dictionary: ['注册', '账号', '公司', '信息', '公司信息', '确认'],
});

describe('English tokens', () => {
  it('lower-cases, drops stopwords and single letters, keeps digits', () => {
    expect(small.tokenize('How do I register my Accounts? Step 3, option B')).toEqual([
      'register',
      'account',
      'step',
      '3',
      'option',
    ]);
  });

  it('stems verb forms and plurals to one term', () => {
    expect(new Set(['signed', 'signing', 'signs', 'sign'].map(stemEnglish))).toEqual(new Set(['sign']));
    expect(stemEnglish('approved')).toBe(stemEnglish('approve'));
    expect(stemEnglish('companies')).toBe('company');
    expect(stemEnglish('verified')).toBe('verify');
    expect(stemEnglish('submitted')).toBe('submit');
    expect(stemEnglish('logging')).toBe('log');
  });

  it('leaves words that only look plural alone', () => {
    expect(stemEnglish('business')).toBe('business');
    expect(stemEnglish('status')).toBe('status');
    expect(stemEnglish('uid')).toBe('uid');
  });

  it('ignores URLs, whose host names are not words of the question', () => {
    expect(small.tokenize('open https://account-console.alibabacloud.com/#/newIntlAuth now')).toEqual([
      'open',
      'now',
    ]);
  });

  it('flags stopwords instead of dropping them in tokens(), for phrase matching', () => {
    expect(small.tokens('sign up').map((t) => [t.term, t.stop])).toEqual([
      ['sign', false],
      ['up', true],
    ]);
  });
});

describe('Chinese tokens', () => {
  it('keeps dictionary words whole and drops stopwords', () => {
    expect(small.tokenize('如何注册账号')).toEqual(['注册', '账号']);
  });

  it('leaves what the domain dictionary does not know to jieba, which cuts it into words', () => {
    expect(small.tokenize('量子纠缠')).toEqual(['量子', '纠缠']);
    expect(small.tokenize('注册量子纠缠账号')).toEqual(['注册', '量子', '纠缠', '账号']);
    // Single-character stopwords are jieba's to judge: 的 is dropped, 不 and 关 are words.
    expect(small.tokenize('不小心把网页的关了')).toEqual(['不', '小心', '把', '网页', '关', '了']);
  });

  it('uses the segmenter it is given for unknown runs', () => {
    const cut: string[] = [];
    const t = new Tokenizer({
      stopwords: { en: [], zh: [] },
      dictionary: ['账号'],
      segmenter: { cut: (run) => (cut.push(run), [...run]) },
    });
    expect(t.tokenize('注册账号流程')).toEqual(['注', '册', '账号', '流', '程']);
    expect(cut).toEqual(['注册', '流程']);
  });

  it('keeps a single unknown character between known words', () => {
    expect(small.tokenize('公司主账号')).toEqual(['公司', '主', '账号']);
  });

  it('splits mixed Chinese and Latin text', () => {
    expect(small.tokenize('公司主UID的信息')).toEqual(['公司', '主', 'uid', '信息']);
  });

  it('emits a compound with its dictionary parts marked', () => {
    const tokens = small.tokens('确认公司信息');
    expect(tokens.map((t) => t.term)).toEqual(['确认', '公司信息', '公司', '信息']);
    expect(tokens.filter((t) => t.partOf).map((t) => [t.term, t.partOf])).toEqual([
      ['公司', '公司信息'],
      ['信息', '公司信息'],
    ]);
  });

  it('segments with the real lexicon: domain words from the knowledge synonyms are kept whole', () => {
    const k = realKnowledge();
    const t = new Tokenizer({ stopwords: k.lexicon.stopwords, dictionary: dictionaryOf(k) });
    const terms = t.tokenize('怎么完成企业认证?');
    expect(terms).toContain('企业认证');
    expect(terms).not.toContain('怎么');
  });
});

describe('Chinese as people type it', () => {
  const k = realKnowledge();
  const chars = new ChineseChars(k.chineseChars);
  const typed = (isWord?: (w: string) => boolean) =>
    new Tokenizer({
      stopwords: { en: [], zh: ['的', '吗', '怎么'] },
      dictionary: ['注册', '账号', '决策单', '节点', '确认'],
      chars,
      isWord,
    });

  it('reads traditional characters as simplified ones', () => {
    expect(chars.simplify('註冊帳號 審核 郵件')).toBe('注册帐号 审核 邮件');
    // Characters simplified text uses itself are never changed (OpenCC would turn 么 into 幺).
    expect(chars.simplify('什么 里面 干嘛 后台')).toBe('什么 里面 干嘛 后台');
    expect(typed().tokenize('怎麼註冊')).toEqual(['注册']);
  });

  it('reads a pinyin typo as the domain word it sounds like, and says what was typed', () => {
    const tokens = typed().tokens('决测单怎么注侧');
    expect(tokens.map((t) => t.term)).toEqual(['决策单', '怎么', '注册']);
    expect(tokens.filter((t) => t.source).map((t) => [t.source, t.term])).toEqual([
      ['决测单', '决策单'],
      ['注侧', '注册'],
    ]);
  });

  it('needs the same sound: a different character is no typo', () => {
    expect(typed().tokenize('注意账号')).toEqual(['注意', '账号']);
  });

  it('leaves a span alone that is a word itself or cuts through a word beside it', () => {
    expect(typed((w) => w === '注侧').tokenize('注侧')).not.toContain('注册');
    // 直接点确认: 接点 sounds like 节点, but 接 belongs to 直接.
    expect(typed((w) => w === '直接').tokenize('直接点确认')).not.toContain('节点');
    expect(typed().tokenize('直接点确认')).toContain('节点');
  });

  it('lets the gate see through a typo: 发漂 is 发票, which the guide does not cover', () => {
    const faq = realFaq();
    const r = faq.answerer.retrieve('发漂怎么开');
    expect(r.analysis.corrected).toBe('发票怎么开');
    expect(r.outOfScope).toBeDefined();
    expect(faq.answerer.answer('決策單是誰填的').citations[0]?.id).toBe('guide-2.3-decision-sheet');
    // Typed in traditional characters, the topic is still the gate's.
    expect(faq.answerer.retrieve('發票怎麼開').outOfScope).toBeDefined();
  });
});

describe('synonym expansion', () => {
  const tokenizer = new Tokenizer({
    stopwords: { en: ['up', 'the', 'how', 'to', 'i'], zh: [] },
    dictionary: ['企业认证'],
  });
  const expander = new SynonymExpander(
    [
      ['register', 'sign up', 'create account'],
      ['enterprise certification', 'KYC', '企业认证'],
    ],
    tokenizer,
    { synonyms: 0.4, parts: 0.7 },
  );

  it('adds the other phrases of a group when one occurs in the question', () => {
    const e = expander.expand(tokenizer.tokens('how to sign up'));
    expect(e.original).toEqual(['sign']);
    expect([...e.added.keys()]).toEqual(expect.arrayContaining(['register', 'creat', 'account']));
    expect(e.alternatives.get('sign')).toContain('register');
  });

  it('needs the whole phrase, stopwords included', () => {
    const e = expander.expand(tokenizer.tokens('sign the contract'));
    expect(e.added.size).toBe(0);
  });

  it('expands across languages', () => {
    const e = expander.expand(tokenizer.tokens('KYC'));
    expect([...e.added.keys()]).toEqual(expect.arrayContaining(['enterpris', 'certification', '企业认证']));
  });

  it('spreads a fixed weight over many synonyms so they cannot outvote the question', () => {
    const e = expander.expand(tokenizer.tokens('KYC'));
    const alternatives = e.alternatives.get('kyc')!.size;
    for (const w of e.added.values()) expect(w).toBeCloseTo(0.4 / Math.sqrt(alternatives));
  });

  it('is data: a new synonym group in the knowledge changes retrieval with no code change', () => {
    const k = realKnowledge();
    const before = buildOfflineFaq(k).answerer.retrieve('what is a zorblax');
    expect(before.decision.kind).toBe('abstain');
    k.lexicon.synonyms.push(['zorblax', 'decision sheet']);
    const after = buildOfflineFaq(k).answerer.retrieve('what is a zorblax');
    expect(after.decision.kind).toBe('answer');
    expect(after.hits[0].entry.id).toBe('guide-2.3-decision-sheet');
  });
});
