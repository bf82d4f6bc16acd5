// Child-process entry of a training job (started by job-host.ts's startTrainingJob).
import type { TrainProgress, TrainRequest, TrainResult } from '../../shared/experiment';
import { runExperiment } from '../experiments/run';
import { serveJob } from './job-child';

serveJob<TrainRequest, TrainProgress, TrainResult>((ws, request, ctx) => runExperiment(ws, request, ctx), 'train_failed');
