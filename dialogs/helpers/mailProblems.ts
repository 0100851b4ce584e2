import type { MailProblem } from '../../src/cards/applicationCards';
import type { BotServices } from './botServices';

/** E-mails about the application that could not be delivered, for a staff card; none when unknown. */
export async function mailProblemsOf(services: BotServices, applicationId: string): Promise<MailProblem[]> {
  return (await services.contact?.problems(applicationId).catch(() => [])) ?? [];
}
