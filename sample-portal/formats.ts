/** What the portal knows about a file format: the download extension, its usual file_type and index file. */
export interface FormatInfo {
  ext: string;
  fileType: string;
  classification: 'raw file' | 'processed file' | 'ancillary file' | 'other file';
  /** The extra (index) file the portal attaches to files of this format. */
  extra: { format: string; suffix: string };
}

const KNOWN: Record<string, FormatInfo> = {
  fastq: {
    ext: 'fastq.gz',
    fileType: 'reads',
    classification: 'raw file',
    extra: { format: 'fastq_idx', suffix: '.idx' },
  },
  pairs: {
    ext: 'pairs.gz',
    fileType: 'contact list-combined',
    classification: 'processed file',
    extra: { format: 'pairs_px2', suffix: '.px2' },
  },
  mcool: {
    ext: 'mcool',
    fileType: 'contact matrix',
    classification: 'processed file',
    extra: { format: 'mcool_idx', suffix: '.idx' },
  },
  hic: {
    ext: 'hic',
    fileType: 'contact matrix',
    classification: 'processed file',
    extra: { format: 'hic_idx', suffix: '.idx' },
  },
  bam: {
    ext: 'bam',
    fileType: 'alignments',
    classification: 'processed file',
    extra: { format: 'bai', suffix: '.bai' },
  },
  bw: {
    ext: 'bw',
    fileType: 'signal fold change',
    classification: 'processed file',
    extra: { format: 'bw_idx', suffix: '.idx' },
  },
  bed: {
    ext: 'bed.gz',
    fileType: 'peaks',
    classification: 'processed file',
    extra: { format: 'bed_tbi', suffix: '.tbi' },
  },
  chromsizes: {
    ext: 'chrom.sizes',
    fileType: 'chromsizes',
    classification: 'ancillary file',
    extra: { format: 'chromsizes_idx', suffix: '.idx' },
  },
};

export function formatInfo(format: string): FormatInfo {
  return (
    KNOWN[format] ?? {
      ext: format,
      fileType: 'other',
      classification: 'other file',
      extra: { format: `${format}_idx`, suffix: '.idx' },
    }
  );
}

/** Stored bytes of these formats are gzipped, so content_md5sum (after gunzip) differs from md5sum. */
export function isCompressed(fileName: string): boolean {
  return fileName.endsWith('.gz');
}
