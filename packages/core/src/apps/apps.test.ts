import { describe, expect, it } from 'vitest';
import {
  appToolList, buildToolDescriptorMeta, buildUiToolMeta, buildWidgetResourceMeta, computeWidgetUri, describeUiToolResult, isWidgetUri,
  prepareWidgetHtml, widgetToolNames,
} from './index';

describe('apps metadata', () => {
  it('versions the widget URI by content and keeps it stable for the same HTML', () => {
    const uri = computeWidgetUri('<html>a</html>');
    expect(isWidgetUri(uri)).toBe(true);
    expect(computeWidgetUri('<html>a</html>')).toBe(uri);
    expect(computeWidgetUri('<html>b</html>')).not.toBe(uri);
  });

  it('gives UI tools the same URI in both dialects and refuses status texts over 64 characters', () => {
    const uri = computeWidgetUri('x');
    const meta = buildUiToolMeta(uri, { invoking: 'Building…', invoked: 'Built' });
    expect(meta['openai/outputTemplate']).toBe(uri);
    expect(meta.ui).toMatchObject({ resourceUri: uri });
    expect(() => buildUiToolMeta(uri, { invoking: 'x'.repeat(65), invoked: 'ok' })).toThrow(/1-64 characters/);
    for (const tool of appToolList) expect(() => buildToolDescriptorMeta(tool, uri)).not.toThrow();
  });

  it('hides widget-only helpers from the model in both dialects', () => {
    const privateTools = appToolList.filter((tool) => tool.presentation === 'private');
    expect(privateTools.map((tool) => tool.name).sort()).toEqual(['acknowledge_incident', 'refresh_dashboard']);
    for (const tool of privateTools) {
      expect(buildToolDescriptorMeta(tool, 'ui://widget/x.html')).toMatchObject({ 'openai/visibility': 'private', ui: { visibility: ['app'] } });
    }
  });

  it('emits both CSP forms from one set of origins', () => {
    const meta = buildWidgetResourceMeta({ baseUrl: 'https://ops.example.com/' }, 'd');
    expect(meta.ui).toMatchObject({ csp: { resourceDomains: ['https://ops.example.com'], connectDomains: ['https://ops.example.com'] } });
    expect(meta['openai/widgetCSP']).toMatchObject({ resource_domains: ['https://ops.example.com'], connect_domains: ['https://ops.example.com'] });
    expect(() => buildWidgetResourceMeta({ baseUrl: 'javascript:alert(1)' }, 'd')).toThrow(/http/);
  });

  it('puts the base tag first in head so root-relative assets resolve against the web app', () => {
    const html = prepareWidgetHtml('<html><head><script src="/_next/a.js"></script></head><body></body></html>', 'https://ops.example.com');
    expect(html.indexOf('<base href="https://ops.example.com/">')).toBeLessThan(html.indexOf('/_next/a.js'));
    expect(html.indexOf('<base')).toBe(html.indexOf('<head>') + '<head>'.length);
  });

  it('describes chat tool results of UI tools (bare or gateway names) with the same metadata', () => {
    const uri = computeWidgetUri('y');
    expect(widgetToolNames).toContain('show_dashboard');
    expect(describeUiToolResult('show_dashboard', uri)).toEqual({ ui: { resourceUri: uri }, 'openai/outputTemplate': uri, 'openai/widgetAccessible': true });
    expect(describeUiToolResult('opspilot__explain_incident', uri)).toMatchObject({ 'openai/outputTemplate': uri });
    expect(describeUiToolResult('metric_lookup', uri)).toBeNull();
  });
});
