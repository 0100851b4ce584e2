import type { Migration } from 'kysely';
import type { DialectName } from '../schema';
import { workflowTables } from './001_workflow';
import { faqTables } from './002_faq';
import { botTables } from './003_bot';
import { notifyTables } from './004_notify';
import { notifyClaims } from './005_notify_claims';
import { dropPeople } from './007_drop_people';
import { conversationTables } from './008_conversations';
import { emailTables } from './009_email';
import { refsByChannel } from './010_refs_by_channel';

/** Ordered by name; append new files, never edit a released one. */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '001_workflow': workflowTables(dialect),
    '002_faq': faqTables(dialect),
    '003_bot': botTables(),
    '004_notify': notifyTables(),
    '005_notify_claims': notifyClaims(),
    '007_drop_people': dropPeople(),
    '008_conversations': conversationTables(),
    '009_email': emailTables(),
    '010_refs_by_channel': refsByChannel(),
  };
}
