import { Image, Typography } from 'antd';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { classNames } from './options';
import { type DatasetFiles, reportFileUrl, thumbnailUrl } from './links';

/**
 * The report's thumbnails, spread over the classes; a click previews the original image (served
 * from the NAS).
 */
export function EdaGallery({
  report,
  files,
  finishedAt,
}: {
  report: Schemas['EdaReport'];
  files: DatasetFiles;
  finishedAt: string | null | undefined;
}) {
  if (report.gallery.length === 0) {
    return (
      <EmptyState
        title="No thumbnails"
        hint={
          report.summary.images_inspected
            ? 'No image of this version could be previewed.'
            : 'The image files were not inspected, so no gallery was written.'
        }
      />
    );
  }
  const names = classNames(report.classes);
  return (
    <Image.PreviewGroup>
      <div className="dm-eda-gallery" data-testid="eda-gallery">
        {report.gallery.map((item) => {
          const label =
            item.class_id === null || item.class_id === undefined
              ? 'no annotations'
              : (names.get(item.class_id) ?? `#${item.class_id}`);
          return (
            <figure key={item.thumbnail} className="dm-eda-thumb">
              <Image
                src={thumbnailUrl(item.thumbnail, finishedAt)}
                alt={`${item.file_name} (${label})`}
                width="100%"
                height={120}
                style={{ objectFit: 'cover' }}
                preview={{ src: reportFileUrl(files, item.file_name) }}
                data-testid="eda-thumbnail"
              />
              <figcaption>
                <Typography.Text strong ellipsis title={label}>
                  {label}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis title={item.file_name}>
                  {item.file_name} · {item.original_width}×{item.original_height}
                </Typography.Text>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </Image.PreviewGroup>
  );
}
