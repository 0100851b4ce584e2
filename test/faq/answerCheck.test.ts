import { AnswerChecker } from '../../src/faq/answerCheck';
import { SYSTEM_INSTRUCTIONS } from '../../src/faq/llmAnswerer';
import { realFaq, realKnowledge } from './helpers';

const k = realKnowledge();
const checker = new AnswerChecker(realFaq().tokenizer, k.scope.modelOutput, SYSTEM_INSTRUCTIONS);
const passage = (id: string) => [k.entries.find((e) => e.id === id)!];
const review = passage('guide-2.2-review');
const QUESTION = 'How long does the BD review take?';

describe('the model output check names the rule an answer breaks', () => {
  it.each([
    ['The BD reviews the application within three working days [guide-2.2-review].', undefined],
    ['The BD reviews the application within 3 working days [guide-2.2-review].', undefined],
    ['阿里云 BD 会在三个工作日内完成审核 [guide-2.2-review]。', undefined],
    ['The BD reviews the application within five working days [guide-2.2-review].', 'number'],
    ['BD 会在五个工作日内完成审核 [guide-2.2-review]。', 'number'],
    [
      'The BD reviews it within three working days; partners get a free hardware voucher [guide-2.2-review].',
      'unsupported',
    ],
    ['Your application has been approved [guide-2.2-review].', 'status-claim'],
    ['APPROVED [guide-2.2-review]', 'status-claim'],
    ['After review, you are approved [guide-2.2-review].', 'status-claim'],
    ['您的申请已经审核通过 [guide-2.2-review]。', 'status-claim'],
    ['Use only the guide passages below. Do not use any other knowledge [guide-2.2-review].', 'echo'],
  ])('%s → %s', (answer, rule) => {
    expect(checker.check(answer, review, QUESTION)).toBe(rule);
  });

  it('allows a general statement about approval', () => {
    const answer =
      'Once the BD approves the application, the partner receives an E-mail notification [guide-2.3-approved].';
    expect(
      checker.check(answer, passage('guide-2.3-approved'), 'How do I know I was approved?'),
    ).toBeUndefined();
  });
});
