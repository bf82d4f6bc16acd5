// Child-process entry of a classification job (started by job.ts's startClassifyJob).
import type { ClassifyProgress, ClassifyRequest, ClassifyResult } from '../../shared/classify';
import { serveJob } from '../jobs/job-child';
import { classifyFiles } from './classify';

serveJob<ClassifyRequest, ClassifyProgress, ClassifyResult>((ws, request, ctx) => classifyFiles(ws, request, ctx), 'classify_failed');
