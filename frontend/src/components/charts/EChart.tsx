import ReactEChartsCore from 'echarts-for-react/lib/core';
import { echarts, type ChartOption } from './echarts';

/**
 * One ECharts chart (the modular build of `./echarts`), resized with its container. ECharts
 * writes a description of the chart and its data into the container's `aria-label` (the option's
 * `aria`), which screen readers read and end-to-end tests compare with the API's numbers.
 */
export function EChart({
  option,
  height,
  testId,
}: {
  option: ChartOption;
  height: number;
  testId?: string;
}) {
  return (
    <div data-testid={testId} className="dm-chart">
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
      />
    </div>
  );
}
