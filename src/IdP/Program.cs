using SsoOperator.IdP;

await using var app = IdpApp.Build(args);
await IdpApp.PrepareAsync(app, CancellationToken.None);
await app.RunAsync();
