using SsoOperator.Crds.Generator;

// Usage: SsoOperator.Crds.Generator <output directory>   (make manifests passes config/crd)
if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: SsoOperator.Crds.Generator <output directory>");
    return 2;
}
CrdGenerator.WriteTo(args[0]);
Console.WriteLine($"wrote {CrdGenerator.Generate().Count} files to {args[0]}");
return 0;
