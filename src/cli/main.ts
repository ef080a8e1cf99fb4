import { Command } from 'commander';
import { configureTestcontainersEnv } from '../runtime/docker-env.js';
import { registerCalibrateCommand } from './calibrate-command.js';
import { registerCleanCommand } from './clean-command.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerGateCommand } from './gate-command.js';
import { registerImagesCommand } from './images-command.js';
import { registerReportCommand } from './report-command.js';
import { registerPlanCommand } from './plan-command.js';
import { registerRunCommand } from './run-command.js';
import { registerTolerancesCommand } from './tolerances-command.js';
import { TOOL_VERSION } from './version.js';

configureTestcontainersEnv();

const program = new Command()
  .name('sidecar-bench')
  .description('Measures what a service-mesh sidecar proxy costs an API: latency, CPU, context switches and memory.')
  .version(TOOL_VERSION)
  .showHelpAfterError();

registerRunCommand(program);
registerReportCommand(program);
registerPlanCommand(program);
registerCalibrateCommand(program);
registerGateCommand(program);
registerTolerancesCommand(program);
registerDoctorCommand(program);
registerImagesCommand(program);
registerCleanCommand(program);

await program.parseAsync(process.argv);
