import { runBenchPage } from './runBenchPage.js';
import { uploadWithUppyS3 } from './uploadWithUppyS3.js';

runBenchPage(uploadWithUppyS3);
