import { runBenchPage } from './runBenchPage.js';
import { uploadWithTusJs } from './uploadWithTusJs.js';

runBenchPage(uploadWithTusJs);
