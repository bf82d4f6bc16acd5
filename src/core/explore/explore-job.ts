// Child-process entry of the feature explorer's extraction (started by job.ts's startExploreJob).
import type { ExploreProgress } from '../../shared/explore';
import { serveJob } from '../jobs/job-child';
import { extractForExplorer, type ExploreRequest, type ExtractionSummary } from './project';

serveJob<ExploreRequest, ExploreProgress, ExtractionSummary>((ws, request, ctx) => extractForExplorer(ws.db, request, ctx), 'extract_failed');
