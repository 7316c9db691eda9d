import { runBenchPage } from './runBenchPage.js';
import { uploadWithUppy } from './uploadWithUppy.js';

runBenchPage(uploadWithUppy);
