import { BlockCache, ContentSource } from './content.ts';
import { formatInfo } from './formats.ts';
import { SeededRandom } from './random.ts';
import {
  type ExperimentRecord,
  type ExperimentSetRecord,
  type FileTemplate,
  type Lab,
  makeExperimentSets,
  makeLabs,
  portalDate,
  TEMPLATES,
} from './sample-data.ts';
import type { AddFileSpec, ExtraFile, ItemType, SampleFile } from './types.ts';

/** One metadata TSV row context: the set and experiments a file is listed under. */
export interface FileRow {
  set: ExperimentSetRecord;
  experiments: ExperimentRecord[];
}

export interface ExtraRecord {
  info: ExtraFile;
  content: ContentSource;
}

/** Everything the portal knows about one file; `sample` is the object handed to tests. */
export interface FileRecord {
  sample: SampleFile;
  content: ContentSource;
  extras: ExtraRecord[];
  submitterFileName: string;
  description: string;
  dateCreated: string;
  fileType: string;
  classification: string;
  lab: Lab;
  set: ExperimentSetRecord | undefined;
  rows: FileRow[];
  pairedEnd?: 1 | 2;
  related?: { relationship: string; accession: string };
}

/** A stored object on the fake storage: a main file or an extra file. */
export interface StoredObject {
  record: FileRecord;
  fileName: string;
  content: ContentSource;
  extra?: ExtraRecord;
}

/** Files at or below this size get their md5 at creation; bigger ones lazily (then cached). */
const EAGER_MD5_MAX = 64 * 1024 * 1024;
const DAY = 24 * 3600 * 1000;

/** The sample portal's data: files, extra files, experiment sets and labs, all deterministic from the seed. */
export class Catalog {
  readonly seed: number;
  readonly files: SampleFile[] = [];
  readonly records: FileRecord[] = [];
  readonly labs: Lab[];
  readonly sets: ExperimentSetRecord[];
  readonly #byId = new Map<string, FileRecord>();
  readonly #byFileName = new Map<string, StoredObject>();
  readonly #cache = new BlockCache();

  constructor(seed: number, count: number) {
    this.seed = seed;
    this.labs = makeLabs(seed);
    this.sets = makeExperimentSets(seed, this.labs);
    for (let i = 0; i < count; i++) this.#generate(TEMPLATES[i % TEMPLATES.length] as FileTemplate);
  }

  /** By accession or uuid. */
  find(id: string): FileRecord | undefined {
    return this.#byId.get(id);
  }

  get(accession: string): FileRecord {
    const record = this.#byId.get(accession);
    if (!record) throw new Error(`No sample file ${accession}`);
    return record;
  }

  stored(fileName: string): StoredObject | undefined {
    return this.#byFileName.get(fileName);
  }

  findSet(id: string): ExperimentSetRecord | undefined {
    return this.sets.find((set) => set.accession === id || set.uuid === id);
  }

  addFile(spec: AddFileSpec): SampleFile {
    const format =
      spec.format ??
      (spec.itemType === 'files-fastq'
        ? 'fastq'
        : spec.itemType === 'files-reference'
          ? 'chromsizes'
          : 'pairs');
    const itemType: ItemType =
      spec.itemType ??
      (format === 'fastq' ? 'files-fastq' : format === 'chromsizes' ? 'files-reference' : 'files-processed');
    const drsShape = spec.drsShape ?? 'current';
    const template: FileTemplate = {
      itemType,
      format,
      status: spec.status ?? 'released',
      drsShape,
      openData: spec.openData ?? drsShape === 'current',
      minSize: spec.size,
      maxSize: spec.size,
      set: itemType === 'files-reference' ? null : 0,
      rows: [[0]],
      extra: spec.withExtraFile ?? false,
    };
    if (spec.accession !== undefined && !/^[0-9A-Z]{5,32}$/.test(spec.accession))
      throw new Error(`Bad accession ${spec.accession}: use upper-case letters and digits`);
    if (spec.accession !== undefined && this.#byId.has(spec.accession))
      throw new Error(`Accession ${spec.accession} already exists`);
    return this.#generate(template, spec.accession).sample;
  }

  #generate(template: FileTemplate, fixedAccession?: string): FileRecord {
    const index = this.records.length;
    const random = new SeededRandom(this.seed, `file:${index}`);
    let accession = fixedAccession ?? random.accession('TSTFI');
    while (this.#byId.has(accession)) accession = random.accession('TSTFI');
    const uuid = random.uuid();
    const size = random.int(template.minSize, template.maxSize);
    const info = formatInfo(template.format);
    const fileName = `${accession}.${info.ext}`;
    const content = this.#content(accession, size);
    const set = template.set === null ? undefined : this.sets[template.set];
    const rows = set
      ? template.rows.map((ids) => ({
          set,
          experiments: ids.map((i) => set.experiments[i] as ExperimentRecord),
        }))
      : [];
    const href = (name: string) => `/${template.itemType}/${accession}/@@download/${name}`;
    const extras: ExtraRecord[] = [];
    if (template.extra) {
      const name = fileName + info.extra.suffix;
      const extraSize = Math.min(Math.max(Math.floor(size / 80), 2048), 64 * 1024 * 1024);
      const extraContent = this.#content(`${accession}/${name}`, extraSize);
      extras.push({
        content: extraContent,
        info: {
          fileName: name,
          format: info.extra.format,
          size: extraSize,
          href: href(name),
          get md5() {
            return extraContent.md5Sync();
          },
        },
      });
    }
    const sample: SampleFile = {
      accession,
      uuid,
      itemType: template.itemType,
      fileName,
      format: template.format,
      size,
      status: template.status,
      drsShape: template.drsShape,
      openData: template.openData,
      extraFiles: extras.map((extra) => extra.info),
      get md5() {
        return content.md5Sync();
      },
    };
    const record: FileRecord = {
      sample,
      content,
      extras,
      submitterFileName: submitterName(template, set, rows[0]?.experiments[0], index, info.ext),
      description: describe(template, set, info.fileType),
      dateCreated: portalDate(Date.UTC(2024, 0, 15) + index * 2.5 * DAY + random.int(0, 600) * 60_000),
      fileType: info.fileType,
      classification: info.classification,
      lab: set?.lab ?? (this.labs[1] as Lab),
      set,
      rows,
    };
    if (template.pairedEnd !== undefined) record.pairedEnd = template.pairedEnd;
    this.#linkPair(record);
    this.records.push(record);
    this.files.push(sample);
    this.#byId.set(accession, record);
    this.#byId.set(uuid, record);
    this.#byFileName.set(fileName, { record, fileName, content });
    for (const extra of extras)
      this.#byFileName.set(extra.info.fileName, {
        record,
        fileName: extra.info.fileName,
        content: extra.content,
        extra,
      });
    return record;
  }

  #content(label: string, size: number): ContentSource {
    const content = new ContentSource({ seed: this.seed, label, size, cache: this.#cache });
    if (size <= EAGER_MD5_MAX) content.md5Sync();
    return content;
  }

  /** Read 2 of a run is "paired with" read 1, the file generated just before it. */
  #linkPair(record: FileRecord): void {
    const previous = this.records.at(-1);
    if (record.pairedEnd !== 2 || previous?.pairedEnd !== 1 || previous.related) return;
    previous.related = { relationship: 'paired with', accession: record.sample.accession };
    record.related = { relationship: 'paired with', accession: previous.sample.accession };
  }
}

function submitterName(
  template: FileTemplate,
  set: ExperimentSetRecord | undefined,
  experiment: ExperimentRecord | undefined,
  index: number,
  ext: string,
): string {
  const n = index + 1;
  if (template.itemType === 'files-reference') return `GRCh38_${n}.${ext}`;
  const source = set?.biosource ?? 'sample';
  if (template.format === 'fastq')
    return `${source}_rep${experiment?.bioRep ?? 1}_R${template.pairedEnd ?? 1}_${n}.${ext}`;
  return `${source}_${template.format}_${n}.${ext}`;
}

function describe(template: FileTemplate, set: ExperimentSetRecord | undefined, fileType: string): string {
  if (!set)
    return template.format === 'chromsizes'
      ? 'Chromosome sizes of the GRCh38 human genome assembly'
      : `Reference ${template.format} file for the GRCh38 human genome assembly`;
  if (template.format === 'fastq')
    return `Read ${template.pairedEnd ?? 1} of a paired-end run for ${set.experimentType} on ${set.biosource}`;
  return `${fileType[0]?.toUpperCase()}${fileType.slice(1)} from ${set.experimentType} on ${set.biosource}`;
}
