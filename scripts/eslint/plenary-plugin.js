// Plenary's own lint rules.
// no-literal-ui-string: user-visible text must come from i18n (t('key')), never a literal in
// JSX text, in a user-facing attribute, or in a label/title/body property of a menu,
// notification or dialog built in main.

const letter = /\p{L}/u;
const uiAttributes = new Set([
  'aria-label',
  'aria-description',
  'aria-placeholder',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
const uiProperties = new Set(['label', 'title', 'body', 'toolTip', 'tooltip', 'detail', 'buttonLabel', 'sublabel']);

function isUiText(value) {
  return typeof value === 'string' && letter.test(value);
}

const noLiteralUiString = {
  meta: {
    type: 'problem',
    docs: { description: 'User-visible strings must go through i18n' },
    schema: [{ type: 'object', properties: { checkProperties: { type: 'boolean' } }, additionalProperties: false }],
    messages: {
      jsxText: 'Hard-coded user-visible text "{{text}}": add a key to shared/i18n/locales/*/ and use t().',
      attribute: 'Hard-coded user-visible attribute {{name}}="{{text}}": use t().',
      property: 'Hard-coded user-visible {{name}}: "{{text}}": use the main-process translator t().',
    },
  },
  create(context) {
    const checkProperties = context.options[0]?.checkProperties === true;
    const short = (text) => text.trim().slice(0, 40);
    return {
      JSXText(node) {
        if (isUiText(node.value)) context.report({ node, messageId: 'jsxText', data: { text: short(node.value) } });
      },
      JSXExpressionContainer(node) {
        if (node.parent?.type !== 'JSXElement' && node.parent?.type !== 'JSXFragment') return;
        const e = node.expression;
        if (e.type === 'Literal' && isUiText(e.value)) context.report({ node, messageId: 'jsxText', data: { text: short(e.value) } });
        if (e.type === 'TemplateLiteral' && e.quasis.some((q) => isUiText(q.value.cooked))) {
          context.report({ node, messageId: 'jsxText', data: { text: short(e.quasis[0]?.value.cooked ?? '') } });
        }
      },
      JSXAttribute(node) {
        const name = node.name.type === 'JSXIdentifier' ? node.name.name : null;
        if (!name || !uiAttributes.has(name) || !node.value) return;
        const v = node.value;
        const text =
          v.type === 'Literal' ? v.value : v.type === 'JSXExpressionContainer' && v.expression.type === 'Literal' ? v.expression.value : null;
        if (isUiText(text)) context.report({ node, messageId: 'attribute', data: { name, text: short(text) } });
      },
      Property(node) {
        if (!checkProperties) return;
        const key = node.key.type === 'Identifier' ? node.key.name : node.key.type === 'Literal' ? node.key.value : null;
        if (!uiProperties.has(key)) return;
        if (node.value.type === 'Literal' && isUiText(node.value.value)) {
          context.report({ node, messageId: 'property', data: { name: key, text: short(node.value.value) } });
        }
      },
    };
  },
};

export default { rules: { 'no-literal-ui-string': noLiteralUiString } };
