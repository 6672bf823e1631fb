// `npm run build:manifest`: custom-elements.json from the widget's JSDoc
// (@csspart, @cssproperty, @event, @attr), for editors and documentation tools.
export default {
  globs: ['src/widget/mt-click-to-call.component.ts'],
  outdir: 'dist',
  litelement: true,
};
