import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database, ApplicationsTable } from '../db/schema';
import { preparedQuery } from '../db/preparedQuery';
import type { Status } from './machine';

export type ApplicationRow = ApplicationsTable;
type Db = Kysely<Database> | Transaction<Database>;

export interface ListFilter {
  statuses?: Status[];
  partnerUserId?: string;
  companyQuery?: string;
  limit: number;
}

export interface UidConflict {
  applicationId: string;
  uid: string;
  otherApplicationId: string;
  otherPartnerUserId: string;
  otherCompanyName: string;
  otherFields: string;
}

// The reads every partner turn makes (their applications, one by id, its UIDs' conflicts): prepared.
const findById = preparedQuery((db: Kysely<Database>, id: string) =>
  db.selectFrom('applications').selectAll().where('id', '=', id),
);
const listOfPartner = preparedQuery((db: Kysely<Database>, partnerUserId: string, limit: number) =>
  byDeadline(db.selectFrom('applications').selectAll().where('partner_user_id', '=', partnerUserId)).limit(
    limit,
  ),
);
const conflictsOfOne = preparedQuery((db: Kysely<Database>, applicationId: string) =>
  conflictsOf(db, [applicationId]),
);

type ApplicationQuery = SelectQueryBuilder<Database, 'applications', ApplicationRow>;

/** Oldest deadline first, then oldest application: the order a BD works through. */
function byDeadline(q: ApplicationQuery): ApplicationQuery {
  return q
    .orderBy(sql`case when due_at is null then 1 else 0 end`)
    .orderBy('due_at')
    .orderBy('created_at');
}

/** SQL for applications and their UIDs. Portable across SQLite and Postgres. */
export class ApplicationRepository {
  async find(db: Db, id: string): Promise<ApplicationRow | undefined> {
    return (await findById(db, id))[0];
  }

  async list(db: Db, filter: ListFilter): Promise<ApplicationRow[]> {
    const onlyPartner = !filter.statuses?.length && !filter.companyQuery;
    if (onlyPartner && filter.partnerUserId !== undefined)
      return listOfPartner(db, filter.partnerUserId, filter.limit);
    let q = db.selectFrom('applications').selectAll();
    if (filter.statuses?.length) q = q.where('status', 'in', filter.statuses);
    if (filter.partnerUserId !== undefined) q = q.where('partner_user_id', '=', filter.partnerUserId);
    if (filter.companyQuery) {
      const pattern = `%${filter.companyQuery.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`lower(company_name) like ${pattern} escape '\\'`);
    }
    return byDeadline(q).limit(filter.limit).execute();
  }

  async insert(db: Db, row: ApplicationRow): Promise<void> {
    await db.insertInto('applications').values(row).execute();
  }

  /** Compare-and-set on version: false when someone else moved the application first. */
  async updateIfVersion(db: Db, row: ApplicationRow, expectedVersion: number): Promise<boolean> {
    const { id, ...changes } = row;
    const result = await db
      .updateTable('applications')
      .set(changes)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async replaceUids(db: Db, applicationId: string, uids: { uid: string; kind: string }[]): Promise<void> {
    await db.deleteFrom('application_uids').where('application_id', '=', applicationId).execute();
    if (uids.length) {
      await db
        .insertInto('application_uids')
        .values(uids.map((u) => ({ application_id: applicationId, ...u })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  /** UIDs of these applications that also appear on another live (not rejected) application. */
  async uidConflicts(db: Db, applicationIds: string[]): Promise<UidConflict[]> {
    if (applicationIds.length === 0) return [];
    if (applicationIds.length === 1) return conflictsOfOne(db, applicationIds[0]);
    return conflictsOf(db, applicationIds).execute();
  }
}

function conflictsOf(db: Db, applicationIds: string[]) {
  return db
    .selectFrom('application_uids as mine')
    .innerJoin('application_uids as theirs', 'theirs.uid', 'mine.uid')
    .innerJoin('applications as other', 'other.id', 'theirs.application_id')
    .where('mine.application_id', 'in', applicationIds)
    .whereRef('theirs.application_id', '<>', 'mine.application_id')
    .where('other.status', '<>', 'rejected')
    .select([
      'mine.application_id as applicationId',
      'mine.uid as uid',
      'other.id as otherApplicationId',
      'other.partner_user_id as otherPartnerUserId',
      'other.company_name as otherCompanyName',
      'other.fields as otherFields',
    ])
    .distinct();
}
