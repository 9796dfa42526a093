using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SsoOperator.IdP.Store.Migrations
{
    /// <inheritdoc />
    public partial class Federation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "Members",
                table: "AspNetRoles",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<string>(
                name: "OwnerKind",
                table: "AspNetRoles",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerName",
                table: "AspNetRoles",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OwnerNamespace",
                table: "AspNetRoles",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "UpdatedAt",
                table: "AspNetRoles",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sso_sources",
                columns: table => new
                {
                    Slug = table.Column<string>(type: "text", nullable: false),
                    DisplayName = table.Column<string>(type: "text", nullable: false),
                    Issuer = table.Column<string>(type: "text", nullable: false),
                    ClientId = table.Column<string>(type: "text", nullable: false),
                    ClientSecret = table.Column<string>(type: "text", nullable: false),
                    Scopes = table.Column<List<string>>(type: "text[]", nullable: false),
                    HostedDomain = table.Column<string>(type: "text", nullable: true),
                    UsernameClaim = table.Column<string>(type: "text", nullable: false),
                    CreateUsers = table.Column<bool>(type: "boolean", nullable: false),
                    NewUserGroups = table.Column<List<string>>(type: "text[]", nullable: false),
                    OwnerKind = table.Column<string>(type: "text", nullable: false),
                    OwnerNamespace = table.Column<string>(type: "text", nullable: false),
                    OwnerName = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sso_sources", x => x.Slug);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoles_Members",
                table: "AspNetRoles",
                column: "Members")
                .Annotation("Npgsql:IndexMethod", "gin");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sso_sources");

            migrationBuilder.DropIndex(
                name: "IX_AspNetRoles_Members",
                table: "AspNetRoles");

            migrationBuilder.DropColumn(
                name: "Members",
                table: "AspNetRoles");

            migrationBuilder.DropColumn(
                name: "OwnerKind",
                table: "AspNetRoles");

            migrationBuilder.DropColumn(
                name: "OwnerName",
                table: "AspNetRoles");

            migrationBuilder.DropColumn(
                name: "OwnerNamespace",
                table: "AspNetRoles");

            migrationBuilder.DropColumn(
                name: "UpdatedAt",
                table: "AspNetRoles");
        }
    }
}
