import type { FileRecord } from './catalog.ts';
import { advertisedMd5, isUploaded, type PortalContext } from './context.ts';
import { formatInfo, isCompressed } from './formats.ts';
import type { ExperimentRecord, ExperimentSetRecord } from './sample-data.ts';
import type { ItemType } from './types.ts';

type Json = Record<string, unknown>;

export const TYPE_NAMES: Record<ItemType, string> = {
  'files-processed': 'FileProcessed',
  'files-fastq': 'FileFastq',
  'files-reference': 'FileReference',
};

export function fileAtId(record: FileRecord): string {
  return `/${record.sample.itemType}/${record.sample.accession}/`;
}

export function fileHref(record: FileRecord): string {
  return `${fileAtId(record)}@@download/${record.sample.fileName}`;
}

function formatObject(format: string): Json {
  return {
    '@id': `/file-formats/${format}/`,
    '@type': ['FileFormat', 'Item'],
    file_format: format,
    display_title: format,
  };
}

function labObject(record: FileRecord): Json {
  return {
    '@id': record.lab.atId,
    '@type': ['Lab', 'Item'],
    display_title: record.lab.title,
    uuid: record.lab.uuid,
  };
}

export function setAtId(set: ExperimentSetRecord): string {
  return `/experiment-set-replicates/${set.accession}/`;
}

function experimentObject(set: ExperimentSetRecord, experiment: ExperimentRecord): Json {
  const collection = set.experimentType.includes('Hi-C') ? 'experiments-hi-c' : 'experiments-seq';
  const item: Json = {
    '@id': `/${collection}/${experiment.accession}/`,
    accession: experiment.accession,
    uuid: experiment.uuid,
    display_title: `${set.experimentType} on ${set.biosource} - ${experiment.accession}`,
    experiment_type: { display_title: set.experimentType },
    biosample: {
      biosource_summary: set.biosource,
      biosource: [
        {
          display_title: set.biosource,
          biosource_type: set.biosourceType,
          individual: { organism: { name: set.organism } },
        },
      ],
    },
    bio_rep_no: experiment.bioRep,
    tec_rep_no: experiment.techRep,
  };
  if (collection === 'experiments-hi-c') item.digestion_enzyme = { name: set.assayDetails };
  else item.targeted_factor = [{ display_title: set.assayDetails }];
  return item;
}

/** A file item as `GET /files-processed/<ACC>/` returns it with JSON (the default, embedded frame). */
export function fileItem(ctx: PortalContext, record: FileRecord): Json {
  const s = record.sample;
  const uploaded = isUploaded(record);
  const item: Json = {
    '@id': fileAtId(record),
    '@type': [TYPE_NAMES[s.itemType], 'File', 'Item'],
    accession: s.accession,
    uuid: s.uuid,
    display_title: s.fileName,
    href: fileHref(record),
    file_format: formatObject(s.format),
    filename: record.submitterFileName,
    status: s.status,
    file_type: record.fileType,
    file_type_detailed: `${record.fileType} (${s.format})`,
    file_classification: record.classification,
    description: record.description,
    date_created: record.dateCreated,
    last_modified: { date_modified: record.dateCreated },
    upload_key: `${s.uuid}/${s.fileName}`,
    lab: labObject(record),
    extra_files: uploaded ? record.extras.map((extra) => extraItem(ctx, record, extra.info)) : [],
    experiments: uniqueExperiments(record).map(([set, experiment]) => experimentObject(set, experiment)),
    experiment_sets: record.set
      ? [{ '@id': setAtId(record.set), accession: record.set.accession, display_title: record.set.accession }]
      : [],
    track_and_facet_info: facetInfo(record),
  };
  if (uploaded) {
    const md5 = advertisedMd5(ctx, record, record.content.md5Sync());
    item.file_size = s.size;
    item.md5sum = md5;
    item.content_md5sum = isCompressed(s.fileName) ? contentMd5(s.uuid) : md5;
  }
  if (s.openData && uploaded) item.open_data_url = ctx.urls.openUrl(record, s.fileName);
  if (s.status === 'restricted') item.restricted = true;
  if (record.pairedEnd !== undefined) item.paired_end = String(record.pairedEnd);
  if (record.related) {
    const other = ctx.catalog.find(record.related.accession);
    item.related_files = [
      {
        relationship_type: record.related.relationship,
        file: other
          ? {
              '@id': fileAtId(other),
              accession: other.sample.accession,
              display_title: other.sample.fileName,
            }
          : record.related.accession,
      },
    ];
  }
  return item;
}

function extraItem(
  ctx: PortalContext,
  record: FileRecord,
  extra: FileRecord['extras'][number]['info'],
): Json {
  return {
    href: extra.href,
    filename: extra.fileName,
    file_format: formatObject(extra.format),
    file_size: extra.size,
    md5sum: advertisedMd5(ctx, record, extra.md5),
    status: record.sample.status,
    upload_key: `${record.sample.uuid}/${extra.fileName}`,
  };
}

function uniqueExperiments(record: FileRecord): Array<[ExperimentSetRecord, ExperimentRecord]> {
  const seen = new Map<string, [ExperimentSetRecord, ExperimentRecord]>();
  for (const row of record.rows)
    for (const experiment of row.experiments) seen.set(experiment.accession, [row.set, experiment]);
  return [...seen.values()];
}

function facetInfo(record: FileRecord): Json {
  const set = record.set;
  if (!set) return { lab_name: record.lab.title };
  return {
    experiment_type: set.experimentType,
    biosource_name: set.biosource,
    assay_info: set.assayDetails,
    lab_name: record.lab.title,
    experiment_bucket: formatInfo(record.sample.format).classification,
  };
}

/** md5 of the uncompressed content: the sample bytes are not real gzip, so a stable stand-in. */
function contentMd5(uuid: string): string {
  let hex = '';
  for (const char of uuid.replaceAll('-', '')) hex += ((Number.parseInt(char, 16) * 7 + 3) % 16).toString(16);
  return hex;
}

/** An experiment set item (`/experiment-set-replicates/<ACC>/`). */
export function setItem(ctx: PortalContext, set: ExperimentSetRecord): Json {
  const files = ctx.catalog.records.filter((record) => record.set === set);
  return {
    '@id': setAtId(set),
    '@type': ['ExperimentSetReplicate', 'ExperimentSet', 'Item'],
    accession: set.accession,
    uuid: set.uuid,
    display_title: set.accession,
    description: set.description,
    status: set.status,
    date_created: set.dateCreated,
    experimentset_type: 'replicate',
    lab: { '@id': set.lab.atId, display_title: set.lab.title, uuid: set.lab.uuid },
    experiments_in_set: set.experiments.map((experiment) => ({
      ...experimentObject(set, experiment),
      files: files
        .filter((record) => record.sample.itemType === 'files-fastq')
        .filter((record) => record.rows.some((row) => row.experiments.includes(experiment)))
        .map((record) => ({ '@id': fileAtId(record), accession: record.sample.accession })),
    })),
    processed_files: files
      .filter((record) => record.sample.itemType !== 'files-fastq')
      .map((record) => ({ '@id': fileAtId(record), accession: record.sample.accession })),
    track_and_facet_info: {
      experiment_type: set.experimentType,
      biosource_name: set.biosource,
      lab_name: set.lab.title,
    },
  };
}

/** `?frame=object`: linked items become their @id strings, as the portal renders them. */
export function objectFrame(item: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'extra_files' && Array.isArray(value))
      out[key] = value.map((extra: Json) => ({ ...extra, file_format: (extra.file_format as Json)['@id'] }));
    else if (isLinked(value)) out[key] = value['@id'];
    else if (Array.isArray(value) && value.every(isLinked)) out[key] = value.map((linked) => linked['@id']);
    else out[key] = value;
  }
  return out;
}

function isLinked(value: unknown): value is Json & { '@id': string } {
  return typeof value === 'object' && value !== null && typeof (value as Json)['@id'] === 'string';
}
