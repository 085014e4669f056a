/**
 * The NotificationConfiguration document of Put/GetBucketNotificationConfiguration:
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketNotificationConfiguration.html
 * In the REST XML a rule is a QueueConfiguration (ARN in <Queue>),
 * TopicConfiguration (<Topic>) or CloudFunctionConfiguration
 * (<CloudFunction>), with one or more <Event> and an optional
 * <Filter><S3Key><FilterRule><Name/><Value/></FilterRule></S3Key></Filter>.
 * Parsing checks the shape only (MalformedXML); services/notify validates the
 * meaning.
 */
import { errors } from '../../shared/errors.js';
import type { NotificationRuleInput } from '../notify/notification-rules.js';
import type { NotificationConfiguration, NotificationRule } from '../store/types.js';
import { childList, childText, parseXml, renderXml, type XmlNode, type XmlValue } from './xml.js';

const ELEMENTS: ReadonlyArray<{ element: string; arn: string; kind: NotificationRule['kind'] }> = [
  { element: 'TopicConfiguration', arn: 'Topic', kind: 'Topic' },
  { element: 'QueueConfiguration', arn: 'Queue', kind: 'Queue' },
  { element: 'CloudFunctionConfiguration', arn: 'CloudFunction', kind: 'CloudFunction' },
];
const TEXT = '#text';

function isNode(v: XmlValue): v is XmlNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** An element that may be empty (<S3Key/>) as a node. */
function nodeOf(v: XmlValue): XmlNode {
  if (v === '' || (typeof v === 'string' && v.trim() === '')) return {};
  if (!isNode(v)) throw errors.malformedXML();
  return v;
}

function single(node: XmlNode, name: string): string | undefined {
  if (childList(node, name).length > 1) throw errors.malformedXML();
  return childText(node, name);
}

function filterRulesOf(config: XmlNode): NotificationRuleInput['filterRules'] {
  const filters = childList(config, 'Filter');
  if (filters.length === 0) return [];
  if (filters.length > 1) throw errors.malformedXML();
  const keys = childList(nodeOf(filters[0] as XmlValue), 'S3Key');
  if (keys.length > 1) throw errors.malformedXML();
  if (keys.length === 0) return [];
  return childList(nodeOf(keys[0] as XmlValue), 'FilterRule').map((r) => {
    const rule = nodeOf(r);
    return { name: single(rule, 'Name') ?? '', value: single(rule, 'Value') ?? '' };
  });
}

function ruleOf(value: XmlValue, element: (typeof ELEMENTS)[number]): NotificationRuleInput {
  const config = nodeOf(value);
  const arn = single(config, element.arn);
  const events = childList(config, 'Event').map((e) => {
    if (typeof e === 'object' && e !== null) throw errors.malformedXML();
    return String(e ?? '');
  });
  if (arn === undefined || arn === '' || events.length === 0) throw errors.malformedXML();
  const id = single(config, 'Id');
  return {
    id: id === '' ? undefined : id,
    kind: element.kind,
    arn,
    events,
    filterRules: filterRulesOf(config),
  };
}

function innerText(text: string): string {
  const m =
    /<(?:[\w.-]+:)?NotificationConfiguration\b[^>]*>([\s\S]*)<\/(?:[\w.-]+:)?NotificationConfiguration\s*>/.exec(
      text,
    );
  return (m?.[1] ?? '').replace(/<!--[\s\S]*?-->/g, '');
}

/** The rules of a PutBucketNotificationConfiguration body, in document order per kind. */
export function parseNotificationConfiguration(text: string): NotificationRuleInput[] {
  const root = parseXml(text, 'NotificationConfiguration');
  // parseXml gives text-only content as no children; here an empty document means "remove all",
  // so <NotificationConfiguration>garbage</NotificationConfiguration> must not pass for one.
  if (Object.keys(root).length === 0 && /\S/.test(innerText(text))) throw errors.malformedXML();
  for (const [name, v] of Object.entries(root)) {
    if (name === TEXT && typeof v === 'string' && v.trim() === '') continue;
    // Strata has no EventBridge; accepting it silently would promise deliveries that never come.
    if (name === 'EventBridgeConfiguration') throw errors.notImplemented('EventBridgeConfiguration');
    if (!ELEMENTS.some((e) => e.element === name)) throw errors.malformedXML();
  }
  return ELEMENTS.flatMap((e) => childList(root, e.element).map((v) => ruleOf(v, e)));
}

/** The GetBucketNotificationConfiguration body. */
export function renderNotificationConfiguration(config: NotificationConfiguration): string {
  const body: XmlNode = {};
  for (const e of ELEMENTS) {
    const rules = config.rules.filter((r) => r.kind === e.kind);
    if (rules.length === 0) continue;
    body[e.element] = rules.map((r) => ({
      Id: r.id,
      [e.arn]: r.arn,
      Event: [...r.events],
      Filter:
        r.filterRules.length === 0
          ? undefined
          : { S3Key: { FilterRule: r.filterRules.map((f) => ({ Name: f.name, Value: f.value })) } },
    }));
  }
  return renderXml('NotificationConfiguration', body);
}
