/**
 * The groups a speaker-normalised model's inputs are normalised in (the model was trained on rows z-scored per
 * speaker, so its inputs must be too): the manifest's speaker column where a file has one, else the file's
 * immediate parent folder (a folder per speaker is how recordings are usually kept). Each group is normalised with
 * its own statistics; a group of one clip becomes zeros, so small groups are named in the run's notices.
 */
import { MIN_NORMALIZE_GROUP } from '../../shared/params';
import { groupSizes } from '../train/speaker-normalize';

export interface GroupedInputs {
  /** Each file's group. */
  groups: string[];
  /** How the groups were drawn, as the notices say it. */
  grouping: 'speaker column' | 'folder' | 'speaker column, else folder';
}

export function inputGroups(files: readonly { file: string; speaker?: string | null }[]): GroupedInputs {
  let bySpeaker = 0;
  const groups = files.map((f) => {
    if (f.speaker) {
      bySpeaker++;
      return `speaker ${f.speaker}`;
    }
    const slash = f.file.replace(/\\/g, '/').lastIndexOf('/');
    return `folder ${slash < 0 ? '.' : f.file.slice(0, slash)}`;
  });
  const grouping = bySpeaker === files.length && files.length ? 'speaker column' : bySpeaker ? 'speaker column, else folder' : 'folder';
  return { groups, grouping };
}

/** The notices of a speaker-normalised classification: how it grouped, and which groups are too small to mean much. */
export function groupNotices(g: GroupedInputs): string[] {
  const sizes = groupSizes(g.groups);
  const how =
    g.grouping === 'speaker column'
      ? "by the manifest's speaker column"
      : g.grouping === 'folder'
        ? 'by folder (each file with the others of its folder; give a manifest with a speaker column to group by speaker)'
        : "by the manifest's speaker column, and by folder for files it gives no speaker";
  const notices = [`The model was trained with per-speaker normalisation: the files were normalised ${how}, in ${sizes.length} group(s), each with its own mean and sd.`];
  const small = sizes.filter((s) => s.clips < MIN_NORMALIZE_GROUP);
  if (small.length) {
    const listed = small.slice(0, 10).map((s) => `${s.group} (${s.clips})`).join(', ') + (small.length > 10 ? `, and ${small.length - 10} more` : '');
    notices.push(
      `${small.length} group(s) have fewer than ${MIN_NORMALIZE_GROUP} files: ${listed}. A group's own mean and sd say little over so few clips ` +
        '(a one-file group is all zeros), so their predictions are unreliable; classify them together with more clips of the same speaker.',
    );
  }
  return notices;
}
