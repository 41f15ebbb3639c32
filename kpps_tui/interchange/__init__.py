"""Files exchanged with spreadsheets and SIAKBA: CSV and XLSX in and out."""
