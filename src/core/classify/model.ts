/**
 * Finding and checking the model to classify with: a workspace experiment's (a cross-validation's only
 * through one fold) or a model folder's. The bytes of model.json and weights.bin are read once, hashed, and
 * those same bytes are what the network is built from, so what was checked is what runs. A missing file is
 * `model_missing`, a changed one `model_altered`; an older model without recorded hashes is hashed now and
 * given its ser-model.json, and the result says so. No tfjs here (the CLI's export-model uses this).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FILES, SER_MODEL_VERSION } from '../../shared/classify-params';
import { SerModelSchema, type ModelIdentity, type ModelRef, type SerModel } from '../../shared/classify';
import { ApiError } from '../../shared/errors';
import { TrainRequestSchema } from '../../shared/experiment';
import { FEATURE_PRESET_INFO, type Activation } from '../../shared/params';
import { findDataset } from '../dataset/queries';
import { experimentDetail } from '../experiments/queries';
import { planRun } from '../experiments/plan';
import { datasetSamples } from '../experiments/samples';
import { featureConfigHash, resolveFeatureConfig } from '../features/config';
import { ExperimentStore, type ExperimentRow } from '../store/experiments';
import { ModelStore, type ModelRow } from '../store/models';
import { mlpSpec, type MlpSpec } from '../train/mlp-spec';
import { isStandardizer } from '../train/standardize';
import type { Workspace } from '../workspace/workspace';
import { buildModelCard, featureDims, sha256Hex, writeModelCardFile, type CardInput } from './model-card';

export interface ResolvedModel {
  card: SerModel;
  identity: ModelIdentity;
  /** The experiment in this workspace the model belongs to (null for a folder from elsewhere). */
  experimentId: number | null;
  dir: string;
  /** The verified bytes: build the network from these, copy these on export. */
  bytes: { modelJson: Buffer; weights: Buffer; card: Buffer };
  notices: string[];
}

const short = (hex: string) => `${hex.slice(0, 12)}…`;

async function readModelFile(dir: string, name: string, missing: (file: string) => string): Promise<Buffer> {
  const file = path.join(dir, name);
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('model_missing', missing(file));
    throw new ApiError('model_missing', `${file} cannot be read (${(err as Error).message})`);
  }
}

export async function resolveModel(ws: Workspace, ref: ModelRef): Promise<ResolvedModel> {
  return 'dir' in ref ? fromFolder(ws, ref.dir) : fromExperiment(ws, ref.experimentId, ref.fold);
}

// ---- a workspace experiment --------------------------------------------------------------------------

function noModelReason(row: ExperimentRow): string {
  switch (row.status) {
    case 'running':
      return 'it is still training';
    case 'completed':
      return 'none was recorded for it';
    default:
      return `it ended ${row.status} before a model was saved`;
  }
}

/** The fold experiment a cross-validation parent (or a fold choice) points at. */
function pickExperiment(store: ExperimentStore, experimentId: number, fold: number | undefined): ExperimentRow {
  const row = store.get(experimentId);
  if (!row) throw new ApiError('not_found', `No experiment ${experimentId} in this workspace (see: ser-studio experiments).`);
  const children = store.children(experimentId);
  if (!children.length) {
    if (fold !== undefined && row.fold !== fold) {
      throw new ApiError('bad_option', `Experiment ${experimentId} is not a cross-validation: it has one model; leave out the fold.`);
    }
    return row;
  }
  const list = children.map((c) => `${c.id} (fold ${(c.fold ?? 0) + 1}${c.status === 'completed' ? '' : `, ${c.status}`})`).join(', ');
  if (fold === undefined) {
    throw new ApiError(
      'model_per_fold',
      `Experiment ${experimentId} is a ${children.length}-fold cross-validation: each fold trained its own model. ` +
        `Classify with one fold's experiment instead: ${list} (or choose a fold with --fold N).`,
    );
  }
  const child = children.find((c) => c.fold === fold);
  if (!child) throw new ApiError('not_found', `Experiment ${experimentId} has no fold ${fold + 1}; its folds are ${list}.`);
  return child;
}

async function fromExperiment(ws: Workspace, experimentId: number, fold: number | undefined): Promise<ResolvedModel> {
  const row = pickExperiment(new ExperimentStore(ws.db), experimentId, fold);
  const models = new ModelStore(ws.db);
  const m = models.byExperiment(row.id);
  if (!m) throw new ApiError('model_missing', `Experiment ${row.id} has no trained model: ${noModelReason(row)}.`);
  const dir = m.path;
  const who = `Experiment ${row.id}'s model`;
  const missing = (file: string) => `${who} is missing: ${file} does not exist (was the workspace's models folder moved or cleaned?).`;
  const modelJson = await readModelFile(dir, MODEL_FILES.modelJson, missing);
  const weights = await readModelFile(dir, MODEL_FILES.weights, missing);
  const hashes = { modelJson: sha256Hex(modelJson), weights: sha256Hex(weights) };
  const notices: string[] = [];

  if (m.model_json_sha256 === null || m.weights_sha256 === null) {
    models.setHashesOnFirstUse(row.id, hashes);
    notices.push(
      `${who} was trained before SER Studio recorded model hashes: its files were hashed now, on first use, and the hashes stored ` +
        '(from now on a changed file is refused; a change made before today cannot be detected).',
    );
  } else {
    for (const [name, recorded, found] of [
      [MODEL_FILES.modelJson, m.model_json_sha256, hashes.modelJson],
      [MODEL_FILES.weights, m.weights_sha256, hashes.weights],
    ] as const) {
      if (recorded !== found) {
        throw new ApiError(
          'model_altered',
          `${who} has been altered: ${path.join(dir, name)} no longer has the sha256 recorded when it was ${m.hashes_recorded === 'first-use' ? 'first used' : 'trained'} ` +
            `(recorded ${short(recorded)}, found ${short(found)}). Restore the file or train the model again.`,
        );
      }
    }
  }

  const cardFile = path.join(dir, MODEL_FILES.card);
  let cardBytes: Buffer;
  let card: SerModel;
  try {
    cardBytes = await readFile(cardFile);
    card = parseCard(cardBytes, cardFile);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    card = await buildModelCard(dir, cardFromWorkspace(ws, row, m, modelJson), 'first-use', { modelJson, weights });
    await writeModelCardFile(dir, card);
    cardBytes = await readFile(cardFile);
    notices.push(`${who} had no ${MODEL_FILES.card} (trained by an older SER Studio): it was written now from the workspace's record.`);
  }
  // The card must describe these very files and agree with the workspace's record of the model.
  const labels = JSON.parse(m.labels) as string[];
  const recordedFeatures = featureConfigHash(resolveFeatureConfig(JSON.parse(m.feature_config)));
  const disagreement =
    card.files['model.json'].sha256 !== hashes.modelJson || card.files['weights.bin'].sha256 !== hashes.weights
      ? 'its file hashes'
      : JSON.stringify(card.labels) !== JSON.stringify(labels)
        ? 'its labels'
        : card.features.hash !== recordedFeatures
          ? 'its feature configuration'
          : JSON.stringify(card.standardizer) !== JSON.stringify(JSON.parse(m.standardizer))
            ? 'its standardisation'
            : null;
  if (disagreement) {
    throw new ApiError('model_altered', `${who} has been altered: ${cardFile} does not match the workspace's record of the model (${disagreement} differ).`);
  }
  checkCard(card, cardFile);
  return { card, identity: identityOf(card, row.id, dir), experimentId: row.id, dir, bytes: { modelJson, weights, card: cardBytes }, notices };
}

/** ser-model.json for a model trained before cards existed, from what the workspace recorded about its run. */
function cardFromWorkspace(ws: Workspace, row: ExperimentRow, m: ModelRow, modelJson: Buffer): CardInput {
  const detail = experimentDetail(ws.db, row.id)!;
  const labels = JSON.parse(m.labels) as string[];
  const featureConfig = resolveFeatureConfig(JSON.parse(m.feature_config));
  const standardizer = JSON.parse(m.standardizer);
  if (!isStandardizer(standardizer)) throw new ApiError('bad_model', `Experiment ${row.id}'s recorded standardisation is not valid.`);
  const config = detail.config;
  const storedSpec = (JSON.parse(modelJson.toString('utf8')) as { userDefinedMetadata?: { serStudio?: { spec?: MlpSpec } } }).userDefinedMetadata?.serStudio?.spec;
  const spec =
    storedSpec ??
    mlpSpec({
      inputDim: m.input_dims,
      nClasses: labels.length,
      hidden: config.hidden as number[] | undefined,
      activation: config.activation as Activation | undefined,
      dropout: config.dropout as number | undefined,
      seed: row.seed,
    });
  const metrics =
    detail.accuracy !== null && detail.macroF1 !== null && detail.weightedF1 !== null && detail.perClass.length
      ? {
          accuracy: detail.accuracy,
          macroF1: detail.macroF1,
          weightedF1: detail.weightedF1,
          perClass: Object.fromEntries(detail.perClass.map(({ label, ...c }) => [label, c])),
          confusion: detail.confusion,
        }
      : null;
  return {
    labels,
    featureConfig,
    standardizer,
    normalize: config.normalize === 'speaker' ? 'speaker' : 'global',
    spec,
    protocol: { ...(JSON.parse(row.protocol) as object) } as CardInput['protocol'],
    protocolDescription: detail.protocol,
    leaky: Boolean(row.leaky),
    weights: detail.weights,
    metrics,
    config,
    versions: detail.versions,
    experiment: { id: row.id, parentId: row.parent_id, fold: row.fold, seed: row.seed },
    dataset: { name: detail.dataset, hash: row.dataset_hash },
    clips: replanClips(ws, row),
  };
}

/**
 * Which clips trained and validated an older model, by drawing its split again: possible only while its
 * dataset still holds exactly the clips it was trained on (same content hash); otherwise unknown (null).
 */
function replanClips(ws: Workspace, row: ExperimentRow): CardInput['clips'] {
  const dataset = findDataset(ws.db, row.dataset_id);
  if (!dataset || dataset.content_hash !== row.dataset_hash) return null;
  const parsed = TrainRequestSchema.safeParse(JSON.parse(row.config));
  if (!parsed.success) return null;
  const samples = datasetSamples(ws.db, row.dataset_id);
  const sha = samples.map((s) => s.sha256);
  try {
    const plan = planRun(samples, parsed.data);
    if (parsed.data.leaky) return { train: sha, validation: [] };
    const split = plan.splits[row.fold ?? 0];
    return split ? { train: split.train.map((i) => sha[i]), validation: split.val.map((i) => sha[i]) } : null;
  } catch {
    return null;
  }
}

// ---- a model folder -------------------------------------------------------------------------------------

async function fromFolder(ws: Workspace, dirArg: string): Promise<ResolvedModel> {
  const dir = path.resolve(dirArg);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new ApiError('model_missing', `${dirArg}: no such model folder.`);
  const cardFile = path.join(dir, MODEL_FILES.card);
  const cardBytes = await readModelFile(
    dir,
    MODEL_FILES.card,
    () => `${dirArg} holds no ${MODEL_FILES.card}: it is not a SER Studio model folder (write one with: ser-studio export-model ID --out DIR).`,
  );
  const card = parseCard(cardBytes, cardFile);
  const missing = (file: string) => `The model in ${dirArg} is incomplete: ${file} does not exist.`;
  const modelJson = await readModelFile(dir, MODEL_FILES.modelJson, missing);
  const weights = await readModelFile(dir, MODEL_FILES.weights, missing);
  for (const [name, bytes] of [
    [MODEL_FILES.modelJson, modelJson],
    [MODEL_FILES.weights, weights],
  ] as const) {
    const recorded = card.files[name].sha256;
    const found = sha256Hex(bytes);
    if (recorded !== found) {
      throw new ApiError(
        'model_altered',
        `The model in ${dirArg} has been altered: ${name} is not the file its ${MODEL_FILES.card} records (sha256 recorded ${short(recorded)}, ` +
          `found ${short(found)}). Export the model again.`,
      );
    }
  }
  checkCard(card, cardFile);
  // A folder exported from this very workspace is that experiment's model.
  const local = new ModelStore(ws.db).byHashes(card.files['model.json'].sha256, card.files['weights.bin'].sha256);
  const experimentId = local?.experiment_id ?? null;
  return { card, identity: identityOf(card, experimentId, dir), experimentId, dir, bytes: { modelJson, weights, card: cardBytes }, notices: [] };
}

// ---- the card itself -----------------------------------------------------------------------------------

function parseCard(bytes: Buffer, file: string): SerModel {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new ApiError('bad_model', `${file} is not valid JSON.`);
  }
  const version = (json as { formatVersion?: unknown })?.formatVersion;
  if (typeof version === 'number' && version > SER_MODEL_VERSION) {
    throw new ApiError('bad_model', `${file} was written by a newer SER Studio (model format ${version}; this version reads up to ${SER_MODEL_VERSION}). Update SER Studio.`);
  }
  const parsed = SerModelSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('bad_model', `${file} is not a valid SER Studio model card (${issue.path.join('.') || '(root)'}: ${issue.message}).`);
  }
  return parsed.data;
}

/**
 * A model trained on a version of a feature preset this SER Studio no longer computes (extended version 1, 370
 * values, before pYIN was added) is refused by name: its vectors cannot be made again, so it must be retrained.
 */
function checkPresetVersion(card: SerModel, file: string): void {
  const { preset, presetVersion } = card.features.config;
  if (!preset || preset === 'reference-166' || presetVersion === undefined) return;
  const current = FEATURE_PRESET_INFO[preset];
  if (presetVersion === current.version) return;
  throw new ApiError(
    'unsupported_model',
    `${file}: the model was trained on the ${preset} feature preset version ${presetVersion} (${card.features.dims} values); this SER Studio ` +
      `computes version ${current.version} (${current.dimension} values) only, so the model cannot classify. Train it again with the ${preset} preset.`,
  );
}

/** The card must be coherent with itself: the feature vector it configures is the one it standardises. */
function checkCard(card: SerModel, file: string): void {
  checkPresetVersion(card, file);
  const config = resolveFeatureConfig(card.features.config);
  const dims = featureDims(config);
  const problems = [
    card.features.hash !== featureConfigHash(config) && `its feature hash ${card.features.hash} is not that of its feature configuration`,
    card.features.dims !== dims && `it says ${card.features.dims} features where its configuration gives ${dims}`,
    (card.standardizer.mean.length !== dims || card.standardizer.std.length !== dims) &&
      `its standardisation has ${card.standardizer.mean.length} means and ${card.standardizer.std.length} deviations for ${dims} features`,
    card.mlp.inputDim !== dims && `its network takes ${card.mlp.inputDim} inputs for ${dims} features`,
    new Set(card.labels).size !== card.labels.length && 'its labels repeat',
  ].filter(Boolean);
  if (problems.length) throw new ApiError('model_altered', `${file} is inconsistent: ${problems.join('; ')}.`);
}

function identityOf(card: SerModel, experimentId: number | null, dir: string): ModelIdentity {
  return {
    experimentId,
    path: dir,
    origin: {
      experimentId: card.experiment.id,
      fold: card.experiment.fold,
      dataset: card.dataset.name,
      datasetHash: card.dataset.hash,
      protocol: card.training.protocol.description,
      createdAt: card.createdAt,
    },
    files: { modelJson: card.files['model.json'].sha256, weights: card.files['weights.bin'].sha256 },
    labels: card.labels,
    featureConfigHash: card.features.hash,
  };
}
