// k8snet: the command line over the same core functions the app uses.
import { main } from './cli/main';

process.exitCode = main(process.argv.slice(2));
