/** The store's multipart-upload types (re-exported by types.ts, where the rest live). */
import type { ChecksumAlgorithm, ObjectHttpHeaders, ObjectPart, Tag } from './types.js';

export interface MultipartUpload {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly initiated: Date;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly storageClass: string;
  readonly checksumAlgorithm?: ChecksumAlgorithm;
  readonly headers: ObjectHttpHeaders;
  readonly userMetadata: Readonly<Record<string, string>>;
  readonly tags: readonly Tag[];
}

export interface UploadedPart extends ObjectPart {
  readonly lastModified: Date;
}

export interface CompletePart {
  readonly partNumber: number;
  readonly etag: string;
  readonly checksum?: string;
}

export interface ListUploadsOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly keyMarker?: string;
  readonly uploadIdMarker?: string;
  readonly maxUploads: number;
}

export interface ListUploadsResult {
  readonly uploads: readonly MultipartUpload[];
  readonly commonPrefixes: readonly string[];
  readonly isTruncated: boolean;
  readonly nextKeyMarker?: string;
  readonly nextUploadIdMarker?: string;
}

export interface ListPartsResult {
  readonly parts: readonly UploadedPart[];
  readonly isTruncated: boolean;
  readonly nextPartNumberMarker?: number;
}
