using SsoOperator.Outpost;

var app = OutpostHost.Build(args);
OutpostHost.LoadConfig(app);
await app.RunAsync().ConfigureAwait(false);
