import { WaterfallDialog, type WaterfallStepContext } from '../src/bot/framework';
import type { BotServices } from './helpers/botServices';
import { DIALOG } from './dialogIds';
import { StepDialog, type StepOptions } from './stepDialog';

const FLOW = 'acpn.flow';
export const ACPN_CONSOLE_TEXT =
  'Your ACPN permission is active. Open the link in the activation e-mail, or go to https://www.alibabacloud.com/ and click **Alibaba Cloud Partner Network > Console**. (ACPN: see the ACPN Platform Instruction manual.)';

/** Guide 2.5: the console once ACPN is active. */
export class AcpnDialog extends StepDialog {
  constructor(services: BotServices) {
    super(DIALOG.acpn, services);
    this.addDialog(new WaterfallDialog(FLOW, [this.start.bind(this)]));
    this.initialDialogId = FLOW;
  }

  private async start(step: WaterfallStepContext) {
    await step.context.sendActivity(this.led(step.options as StepOptions, ACPN_CONSOLE_TEXT));
    return step.endDialog();
  }
}
