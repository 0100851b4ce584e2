import { WaterfallDialog, type WaterfallStepContext } from '../src/bot/framework';
import type { BotServices } from './helpers/botServices';
import { statusMessage } from '../src/cards/statusText';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'contract.flow';

/** Guide 2.4: what happens while the contract is prepared, signed and takes effect. */
export class ContractDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.contract, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    const options = step.options as StepOptions;
    const app = await this.myApplication(step.context, options);
    if (!app || app === 'unavailable') return step.endDialog();
    const w = this.words(step.context);
    const lines = [options.lead ?? statusMessage(app, 'partner', w)];
    if (app.status === 'awaiting_contract') lines.push(w.t('contract.awaiting'));
    else if (app.status === 'contract_signed') lines.push(w.t('contract.signed'));
    await step.context.sendActivity(lines.join('\n\n'));
    return step.endDialog();
  }
}
