// k8snet: the command line over the same core functions the app uses.
import { main } from './main';

// `k8snet routes big.json | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = main(process.argv.slice(2));
