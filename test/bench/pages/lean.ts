import { runBenchPage } from './runBenchPage.js';
import { uploadWithLean } from './uploadWithLean.js';

runBenchPage(uploadWithLean);
