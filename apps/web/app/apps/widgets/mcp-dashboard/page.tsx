import type { Metadata } from 'next';
import { WidgetApp } from '~/widget/widget-app';
import '~/components/console/console.css';
import '~/widget/widget.css';

export const metadata: Metadata = { title: 'OpsPilot dashboard widget' };

/**
 * The Apps widget page. Static on purpose: the MCP endpoint fetches this
 * HTML, hashes it into the widget's `ui://` URI, and every process of one
 * build must compute the same hash. Data never comes from here: the host
 * hands the widget its tool results.
 */
export default function McpDashboardWidgetPage() {
  return <WidgetApp />;
}
