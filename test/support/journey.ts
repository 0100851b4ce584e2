import type { Status, ActionName } from '../../src/workflow/machine';
import { BD, uid, workflowHttp } from './testApp';

type Http = ReturnType<typeof workflowHttp>;

export function fullFields() {
  const main = uid();
  return {
    companyName: 'Hangzhou Example Technology Co., Ltd.',
    companyInfoConfirmed: true,
    businessType: 'reseller',
    masterUid: main,
    mainUid: main,
    associatedUids: [uid(), uid()],
    contactName: 'Li Wei',
    contactEmail: 'li.wei@example.com',
    contactPhone: '+86 571 1234 5678',
    country: 'China',
  };
}

/** A valid payload for each action, as a partner or BD would send it. */
export function validPayload(
  action: ActionName,
  ctx: { invitationCode?: string } = {},
): Record<string, unknown> {
  switch (action) {
    case 'accept-invitation':
      return { invitationCode: ctx.invitationCode ?? 'XXXX-XXXX' };
    case 'update-application':
      return { contactName: 'Zhang San' };
    case 'approve':
      return { comment: 'Interview notes are fine' };
    case 'reject':
    case 'decline':
      return { reason: 'Enterprise certification could not be verified' };
    case 'fill-decision-sheet':
      return {
        basicInfo: { partnerName: 'Hangzhou Example', businessType: 'reseller', region: 'China' },
        commissionPolicy: { baseDiscount: '12%', settlement: 'monthly' },
      };
    case 'request-modification':
      return { description: 'The settlement cycle should be quarterly, not monthly, as agreed with our BD.' };
    case 'record-contract-signed':
      return { contractId: 'C-2026-0042' };
    default:
      return {};
  }
}

/** The way forward through the machine, status by status. */
const PATH: { to: Status; action: ActionName; by: 'partner' | 'bd'; after: Status }[] = [
  { after: 'prospect', action: 'request-qualification-review', by: 'partner', to: 'qualification_review' },
  { after: 'qualification_review', action: 'invite', by: 'bd', to: 'invited' },
  { after: 'invited', action: 'accept-invitation', by: 'partner', to: 'draft' },
  { after: 'draft', action: 'submit', by: 'partner', to: 'submitted' },
  { after: 'submitted', action: 'approve', by: 'bd', to: 'qualified' },
  { after: 'qualified', action: 'fill-decision-sheet', by: 'bd', to: 'terms_pending' },
  { after: 'terms_pending', action: 'confirm-terms', by: 'partner', to: 'awaiting_contract' },
  { after: 'awaiting_contract', action: 'record-contract-signed', by: 'bd', to: 'contract_signed' },
  { after: 'contract_signed', action: 'activate-acpn', by: 'bd', to: 'acpn_active' },
];
const SIDE: Partial<Record<Status, { from: Status; action: ActionName; by: 'partner' | 'bd' }>> = {
  rejected: { from: 'submitted', action: 'reject', by: 'bd' },
  terms_correction: { from: 'terms_pending', action: 'request-modification', by: 'partner' },
};

export interface Driven {
  id: string;
  version: number;
  status: Status;
  invitationCode?: string;
  partner: string;
  body: any;
}

/** Registers an application as `partner` and drives it through the API to `target`. */
export async function driveTo(
  http: Http,
  partner: string,
  target: Status,
  bd = BD,
  overrides: { companyName?: string } = {},
): Promise<Driven> {
  const { mainUid, companyName, contactEmail, ...basics } = { ...fullFields(), ...overrides };
  const walk = await Walk.register(http, partner, { companyName, mainUid, contactEmail });
  let invitationCode: string | undefined;
  const step = async (action: ActionName, by: 'partner' | 'bd', payload: Record<string, unknown>) => {
    await walk.act(action, by === 'bd' ? bd : partner, payload);
    invitationCode = walk.app.invitationCode ?? invitationCode;
  };

  const side = SIDE[target];
  const goal = side ? side.from : target;
  for (const p of PATH) {
    if (walk.app.status === goal) break;
    await step(p.action, p.by, validPayload(p.action, { invitationCode }));
    // Fill the basic information so the draft is ready to submit.
    if (walk.app.status === 'draft') await step('update-application', 'partner', basics);
  }
  if (side) await step(side.action, side.by, validPayload(side.action));
  const app = walk.app;
  if (app.status !== target) throw new Error(`drove to ${app.status}, wanted ${target}`);
  return { id: app.id, version: app.version, status: app.status, invitationCode, partner, body: app };
}

/** One application walked through the API step by step; each step must answer 200. */
export class Walk {
  private constructor(
    private readonly http: Http,
    readonly partner: string,
    public app: any,
  ) {}

  static async register(
    http: Http,
    partner: string,
    fields: { companyName: string; contactEmail?: string; mainUid?: string },
  ): Promise<Walk> {
    const r = await http('POST', '/applications', partner, {
      contactEmail: 'walk@example.com',
      mainUid: uid(),
      ...fields,
    });
    if (r.status !== 201) throw new Error(`register failed: ${r.status} ${JSON.stringify(r.body)}`);
    return new Walk(http, partner, r.body);
  }

  /** An application that already exists (registered in chat, say). */
  static of(http: Http, partner: string, app: any): Walk {
    return new Walk(http, partner, app);
  }

  get id(): string {
    return this.app.id;
  }

  async act(action: string, actor: string, payload: Record<string, unknown> = {}): Promise<any> {
    const r = await this.http('POST', `/applications/${this.app.id}/actions/${action}`, actor, {
      expectedVersion: this.app.version,
      payload,
    });
    if (r.status !== 200) throw new Error(`${action} failed: ${r.status} ${JSON.stringify(r.body)}`);
    this.app = r.body;
    return this.app;
  }

  /** Review, invitation and its acceptance: the application is a draft, ready for its form. */
  async toDraft(bd = BD): Promise<void> {
    await this.act('request-qualification-review', this.partner);
    await this.act('invite', bd);
    await this.act('accept-invitation', this.partner, { invitationCode: this.app.invitationCode });
  }

  /** The basic information a submit needs, as the partner fills it in. */
  async completeBasics(overrides: Record<string, unknown> = {}): Promise<void> {
    await this.act('update-application', this.partner, {
      companyInfoConfirmed: true,
      businessType: 'reseller',
      masterUid: this.app.mainUid,
      contactName: 'Li Wei',
      contactPhone: '+86 571 0000 0000',
      country: 'China',
      ...overrides,
    });
  }
}
