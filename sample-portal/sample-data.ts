import { SeededRandom } from './random.ts';
import type { DrsShape, ItemType } from './types.ts';

export interface Lab {
  atId: string;
  title: string;
  uuid: string;
}

export interface ExperimentRecord {
  accession: string;
  uuid: string;
  bioRep: number;
  techRep: number;
}

export interface ExperimentSetRecord {
  accession: string;
  uuid: string;
  experimentType: string;
  biosource: string;
  biosourceType: string;
  organism: string;
  assayDetails: string;
  description: string;
  lab: Lab;
  status: string;
  dateCreated: string;
  experiments: ExperimentRecord[];
}

/** How one generated file looks; sizes are drawn from [minSize, maxSize] with the seed. */
export interface FileTemplate {
  itemType: ItemType;
  format: string;
  status: string;
  drsShape: DrsShape;
  openData: boolean;
  minSize: number;
  maxSize: number;
  /** Index into the experiment sets, or null for reference files. */
  set: number | null;
  /** Experiment indexes (within the set) of each metadata TSV row; a second entry makes a duplicate row. */
  rows: number[][];
  extra: boolean;
  pairedEnd?: 1 | 2;
}

const KB = 1024;
const MB = 1024 * 1024;

/** The default twelve: every format, DRS shape and status the client must handle, about 50 MB in all. */
export const TEMPLATES: FileTemplate[] = [
  t('files-fastq', 'fastq', 'released', 'current', true, 3 * MB, 6 * MB, 0, [[0]], false, 1),
  t('files-fastq', 'fastq', 'released', 'current', true, 3 * MB, 6 * MB, 0, [[0]], false, 2),
  t('files-processed', 'pairs', 'released', 'legacy', false, 8 * MB, 12 * MB, 0, [[0, 1], [1]], true),
  t('files-processed', 'mcool', 'released', 'access-id', false, 18 * MB, 20 * MB, 0, [[0, 1]], false),
  t('files-processed', 'hic', 'uploading', 'none', false, 1 * MB, 2 * MB, 0, [[0, 1]], false),
  t('files-processed', 'bam', 'released', 'legacy', false, 2 * MB, 4 * MB, 1, [[0]], false),
  t('files-processed', 'bw', 'released', 'current', true, 200 * KB, 500 * KB, 1, [[0]], false),
  t('files-processed', 'hic', 'restricted', 'legacy', false, 1 * MB, 1 * MB + 300 * KB, 0, [[1]], false),
  t('files-reference', 'chromsizes', 'released', 'access-id', false, 4 * KB, 6 * KB, null, [[]], false),
  t('files-processed', 'bed', 'released', 'current', true, 50 * KB, 100 * KB, 1, [[0]], false),
  t('files-fastq', 'fastq', 'archived', 'legacy', false, 500 * KB, 1 * MB, 1, [[0]], false),
  t('files-processed', 'pairs', 'released', 'access-id', false, 1 * MB, 2 * MB, 0, [[1]], false),
];

function t(
  itemType: ItemType,
  format: string,
  status: string,
  drsShape: DrsShape,
  openData: boolean,
  minSize: number,
  maxSize: number,
  set: number | null,
  rows: number[][],
  extra: boolean,
  pairedEnd?: 1 | 2,
): FileTemplate {
  return { itemType, format, status, drsShape, openData, minSize, maxSize, set, rows, extra, pairedEnd };
}

export function makeLabs(seed: number): Lab[] {
  const random = new SeededRandom(seed, 'labs');
  return [
    { atId: '/labs/example-lab/', title: 'Example Lab, Example Institute', uuid: random.uuid() },
    { atId: '/labs/second-lab/', title: 'Second Lab, Other University', uuid: random.uuid() },
  ];
}

export function makeExperimentSets(seed: number, labs: Lab[]): ExperimentSetRecord[] {
  const random = new SeededRandom(seed, 'experiment-sets');
  const experiment = (bioRep: number, techRep: number): ExperimentRecord => ({
    accession: random.accession('TSTEX'),
    uuid: random.uuid(),
    bioRep,
    techRep,
  });
  const lab = (index: number) => labs[index] as Lab;
  return [
    {
      accession: random.accession('TSTES'),
      uuid: random.uuid(),
      experimentType: 'in situ Hi-C',
      biosource: 'GM12878',
      biosourceType: 'immortalized cell line',
      organism: 'human',
      assayDetails: 'MboI',
      description: 'In situ Hi-C on GM12878 with MboI, two biological replicates',
      lab: lab(0),
      status: 'released',
      dateCreated: portalDate(Date.UTC(2024, 0, 10, 9, 30)),
      experiments: [experiment(1, 1), experiment(2, 1)],
    },
    {
      accession: random.accession('TSTES'),
      uuid: random.uuid(),
      experimentType: 'ChIP-seq',
      biosource: 'H1-hESC',
      biosourceType: 'stem cell',
      organism: 'human',
      assayDetails: 'H3K27ac',
      description: 'ChIP-seq for H3K27ac on H1-hESC',
      lab: lab(1),
      status: 'released',
      dateCreated: portalDate(Date.UTC(2024, 1, 2, 14, 5)),
      experiments: [experiment(1, 1)],
    },
  ];
}

/** The portal's timestamp form: 2024-01-10T09:30:00.000000+00:00 */
export function portalDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '000+00:00');
}
