import { WaterfallDialog, type WaterfallStepContext } from '../src/bot/framework';
import type { BotServices } from './helpers/botServices';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'acpn.flow';

/** Guide 2.5: the console once ACPN is active. */
export class AcpnDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.acpn, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    await step.context.sendActivity(
      this.led(step.options as StepOptions, this.words(step.context).t('acpn.console')),
    );
    return step.endDialog();
  }
}
